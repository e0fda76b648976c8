// `openclaw gateway probe` as data and as text. Pure: the command connects and times, this shapes the outcome.
import type {Failure} from './command-connect.js';

export type ProbeAuth =
	| {status: 'ok'; method?: string; role?: string; scopes?: string[]}
	| {status: 'refused'; reason: string; code?: string}
	/** The gateway never got as far as judging the credentials (not reachable, timed out, closed first). */
	| {status: 'not-tried'};

export type ProbeReport = {
	ok: boolean;
	url: string;
	urlSource: string;
	/** The gateway answered the WebSocket: a hello, or a refusal of its own. */
	reachable: boolean;
	connectMs?: number;
	healthMs?: number;
	/** connect + health, as the operator waited for them. */
	latencyMs?: number;
	version?: string;
	protocol?: number;
	auth: ProbeAuth;
	health?: {ok: boolean};
	error?: Failure;
};

/** Failures where the gateway itself answered (and so is reachable); the rest never reached one. */
const answeredKinds = new Set<Failure['kind']>(['auth', 'protocol', 'rejected', 'rpc']);

export function probeFailed(url: string, urlSource: string, failure: Failure): ProbeReport {
	return {
		ok: false,
		url,
		urlSource,
		reachable: answeredKinds.has(failure.kind),
		auth: failure.kind === 'auth' ? {status: 'refused', reason: failure.message, code: failure.code} : {status: 'not-tried'},
		error: failure,
	};
}

function authLine(auth: ProbeAuth): string {
	switch (auth.status) {
		case 'ok': {
			const bits = [auth.method, auth.role ? `role ${auth.role}` : undefined].filter(Boolean);
			return `Auth: ok${bits.length > 0 ? ` (${bits.join('; ')})` : ''}`;
		}

		case 'refused':
			return `Auth: refused: ${auth.reason}`;
		case 'not-tried':
			return 'Auth: not tried';
	}
}

export function formatProbeReport(report: ProbeReport, paint: (role: 'ok' | 'fail', text: string) => string = (_r, t) => t): string[] {
	const lines = [`Probe target: ${report.url}${report.urlSource === 'local' ? '' : ` (${report.urlSource})`}`];
	if (!report.reachable) {
		lines.push(`Reachable: ${paint('fail', 'no')}: ${report.error?.message ?? 'no answer'}`);
		return lines;
	}

	lines.push(`Reachable: ${paint('ok', 'yes')}${report.connectMs === undefined ? '' : ` (connect ${report.connectMs} ms)`}`);
	lines.push(report.auth.status === 'ok' ? authLine(report.auth) : paint('fail', authLine(report.auth)));
	if (report.version !== undefined) {
		lines.push(`Version: ${report.version}${report.protocol === undefined ? '' : ` (protocol ${report.protocol})`}`);
	}

	if (report.health) {
		lines.push(`Health: ${report.health.ok ? paint('ok', 'ok') : paint('fail', 'not ok')} (${report.healthMs} ms)`);
	} else if (report.auth.status === 'ok' && report.error) {
		lines.push(`Health: ${paint('fail', 'failed')}: ${report.error.message}`);
	} else if (report.auth.status !== 'refused' && report.error) {
		lines.push(`Error: ${report.error.message}`);
	}

	return lines;
}
