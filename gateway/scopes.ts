// Which scopes a connecting client gets. Scopes are granted, never taken: a client names what it wants, and gets
// the part of it that the protocol knows and that its kind and credentials allow. Without this, every token holder
// (a browser chat page included) could name `operator.admin` and rewrite the config.
//
// The rule is the reference gateway's: a client without a device identity has its scopes cleared, except the two
// trusted local shapes (`cli`/`cli` and `gateway-client`/`backend`) on a direct loopback connection with the shared
// secret and no browser Origin. A client with a verified device identity keeps what it asked for: on a direct
// loopback connection the device is paired silently (as the reference does); from elsewhere only a device an operator
// approved gets in, and the connection then bounds its scopes to those approved (device-pairing.ts).
// `x-openclaw-scopes` on the upgrade caps the result.
import {knownScopes, type ClientInfo} from '../source/protocol/index.js';

export type ScopeRequest = {
	requested: readonly unknown[] | undefined;
	client: Pick<ClientInfo, 'id' | 'mode'>;
	/** A device identity whose proof verified, on a connection that may pair it (direct loopback). */
	device: boolean;
	/** The peer address is loopback. */
	loopback: boolean;
	/** The upgrade carried an Origin header: a browser page opened this socket. */
	browser: boolean;
	/** From the `x-openclaw-scopes` upgrade header. */
	cap?: readonly string[];
};

function trustedLocalShape(client: ScopeRequest['client']): boolean {
	return (client.id === 'cli' && client.mode === 'cli') || (client.id === 'gateway-client' && client.mode === 'backend');
}

export function grantScopes(request: ScopeRequest): string[] {
	if (request.client.mode === 'probe') {
		return [];
	}

	let granted = [...new Set(request.requested ?? [])].filter((scope): scope is string => typeof scope === 'string' && knownScopes.has(scope));
	const trusted = request.device || (trustedLocalShape(request.client) && request.loopback && !request.browser);
	if (!trusted) {
		granted = [];
	}

	if (request.cap) {
		granted = granted.filter((scope) => request.cap!.includes(scope));
	}

	return granted;
}
