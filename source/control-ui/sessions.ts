// The Sessions card's read: `sessions.list` where the gateway serves it, as rows, or one sentence saying why there
// are none. Kept out of main.ts so it can be tested against a fake reader.
import {isRecord} from '../protocol/index.js';
import {serves} from '../client/served-methods.js';
import type {GatewayReader} from '../console/live/gateway-reads.js';
import type {SessionRow} from './views.js';

export const sessionsNotServed = 'this gateway does not serve sessions.list';

export async function readSessionRows(client: GatewayReader): Promise<SessionRow[] | string> {
	if (!serves(client, 'sessions.list')) {
		return sessionsNotServed;
	}

	try {
		const result = await client.request('sessions.list', {limit: 20});
		// Read defensively, whatever the map says: the page may face a gateway whose rows differ (`sessionKey`).
		const list: unknown[] = isRecord(result) && Array.isArray(result.sessions) ? result.sessions : [];
		if (list.length === 0) {
			return 'no sessions yet';
		}

		return list.filter(isRecord).map((row) => ({
			key: String(row.key ?? row.sessionKey ?? '?'),
			kind: typeof row.kind === 'string' ? row.kind : undefined,
			model: typeof row.model === 'string' ? row.model : undefined,
			updated: typeof row.updatedAt === 'number' ? new Date(row.updatedAt).toLocaleString() : undefined,
		}));
	} catch (error) {
		return `sessions.list failed: ${(error as Error).message}`;
	}
}
