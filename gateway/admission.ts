// The admission steps of `connect`, one function each, in OpenClaw's order (protocol reference §1.3): request shape
// and protocol, credentials, device proof, pairing, scopes, device token. Each step either passes its result on or
// names the failure; connect-refusal.ts turns a failure into the client's answer. Connection.connect runs them.
import {
	MIN_PROBE_PROTOCOL_VERSION,
	PROTOCOL_VERSION,
	roles,
	scopes as scopeNames,
	events,
	type ConnectParams,
	type Role,
} from '../source/protocol/index.js';
import {checkSharedSecret, type AuthDecision, type AuthMethod, type AuthSettings} from './auth.js';
import {isDirectLocal, tailscaleServeClaim, trustedProxyIdentity, verifyTailscaleClaim, type Ingress} from './auth-identity.js';
import type {AuthAttemptSource, AuthRateLimiter} from './auth-rate-limit.js';
import {validateConnectParams} from './connect-params.js';
import type {ConnectFailure} from './connect-refusal.js';
import {verifyDevice} from './device.js';
import type {DevicePairingStore} from './device-pairing.js';
import type {GatewayRuntime} from './runtime.js';
import {grantScopes} from './scopes.js';
import type {TailscaleWhois} from './tailscale-whois.js';

export type Step<T> = {ok: true; value: T} | {ok: false; failure: ConnectFailure; why?: string};

const pass = <T>(value: T): Step<T> => ({ok: true, value});
const fail = (failure: ConnectFailure, why?: string): Step<never> => ({ok: false, failure, ...(why ? {why} : {})});

export type AuthContext = {
	settings: AuthSettings;
	ingress: Ingress;
	source: AuthAttemptSource;
	limiter: AuthRateLimiter;
	devices: DevicePairingStore;
	whois: TailscaleWhois;
};

/** Step 1: a well-formed request in a protocol we speak, for a role that exists. */
export function checkRequest(raw: unknown): Step<{params: ConnectParams; role: Role}> {
	const validation = validateConnectParams(raw);
	if (!validation.ok) {
		return fail({kind: 'invalid-params', message: validation.message});
	}

	const {params} = validation;
	const probe = params.client.mode === 'probe';
	const protocolOk =
		(params.minProtocol <= PROTOCOL_VERSION && params.maxProtocol >= PROTOCOL_VERSION) ||
		(probe && params.minProtocol <= PROTOCOL_VERSION && params.maxProtocol >= MIN_PROBE_PROTOCOL_VERSION);
	if (!protocolOk) {
		return fail({kind: 'protocol', min: params.minProtocol, max: params.maxProtocol});
	}

	const role = params.role ?? 'operator';
	if (!(roles as readonly string[]).includes(role)) {
		return fail({kind: 'role'});
	}

	return pass({params, role});
}

function authFailure(params: ConnectParams, reason: string, why?: string): Step<never> {
	return fail({kind: 'auth', reason, tokenOffered: Boolean(params.auth?.token), device: params.device !== undefined}, why);
}

/**
 * Step 2: who vouches for this client. First the identity ways (trusted proxy, Tailscale Serve), which involve no
 * secret and so no failed-attempt budget; then the shared secret or the device's own token, under the budget.
 */
export async function authenticate(ctx: AuthContext, params: ConnectParams, role: Role): Promise<Step<{method: AuthMethod; user?: string}>> {
	const {settings, ingress} = ctx;
	const offered = params.auth ?? {};
	const deviceToken = params.device ? (offered.deviceToken ?? offered.token) : undefined;
	let identityRefusal: {reason: string; why: string} | undefined;
	if (settings.mode === 'trusted-proxy') {
		const identity = trustedProxyIdentity(settings, ingress);
		if (identity.ok) {
			return pass({method: 'trusted-proxy', user: identity.user});
		}

		identityRefusal = identity;
		// As OpenClaw: a local client on this host may still use the password; a device may use its token.
		const localPassword = isDirectLocal(ingress) && settings.password !== undefined && Boolean(offered.password);
		if (!localPassword && !deviceToken) {
			return authFailure(params, identity.reason, identity.why);
		}
	} else if (settings.mode !== 'none' && !offered.token && !offered.password) {
		const serve = tailscaleServeClaim(settings, ingress);
		if (serve && !serve.ok) {
			return authFailure(params, serve.reason, serve.why);
		}

		if (serve) {
			const verified = await verifyTailscaleClaim(serve.claim, ctx.whois);
			if (verified.ok) {
				return pass({method: verified.method, user: verified.user});
			}

			if (!offered.deviceToken) {
				return authFailure(params, verified.reason, verified.why);
			}
		}
	}

	const outcome = ctx.limiter.attempt(ctx.source, () => {
		const decision = checkSecrets(ctx, params, role, deviceToken, identityRefusal?.reason);
		if (!decision.ok) {
			throw decision;
		}

		return decision;
	});
	if (outcome.ok) {
		return pass({method: outcome.value.method});
	}

	if (outcome.rateLimited) {
		return fail({kind: 'rate-limited', retryAfterMs: outcome.retryAfterMs});
	}

	const refused = outcome.error as Extract<AuthDecision, {ok: false}>;
	return authFailure(params, refused.reason, refused.why);
}

/** The shared secret, else the device's token for this role (explicit `deviceToken`, or `token` as openclaw-node sends it). */
function checkSecrets(ctx: AuthContext, params: ConnectParams, role: Role, deviceToken: string | undefined, identityReason?: string): AuthDecision {
	const shared: AuthDecision =
		identityReason !== undefined && !(isDirectLocal(ctx.ingress) && params.auth?.password)
			? {ok: false, reason: identityReason}
			: checkSharedSecret(ctx.settings, params.auth);
	if (shared.ok || !params.device || !deviceToken) {
		return shared;
	}

	if (ctx.devices.verifyToken(params.device.id, role, deviceToken)) {
		return {ok: true, method: 'device-token'};
	}

	return params.auth?.deviceToken ? {ok: false, reason: 'device_token_mismatch'} : shared;
}

/** Step 3: the device's proof (id, nonce, freshness, signature); the Control UI and nodes must bring one. */
export function checkDevice(params: ConnectParams, role: Role, nonce: string): Step<void> {
	if (!params.device) {
		if (params.client.id === 'openclaw-control-ui') {
			return fail({kind: 'control-ui-device'});
		}

		return role === 'node' ? fail({kind: 'device-required'}) : pass(undefined);
	}

	const problem = verifyDevice(params, nonce);
	return problem ? fail({kind: 'device-proof', message: problem}) : pass(undefined);
}

/**
 * Step 4: a device is only as trusted as its pairing (anyone can make a key pair). As OpenClaw: an unknown device on
 * a direct loopback connection is paired silently unless `gateway.nodes.pairing.autoApproveLocal` is false; from
 * elsewhere it is refused and waits as a request an operator approves (`device.pair.requested` goes to them).
 */
export function pairDevice(
	params: ConnectParams,
	role: Role,
	where: {local: boolean; ip: string; autoApproveLocal: boolean},
	devices: DevicePairingStore,
	runtime: Pick<GatewayRuntime, 'broadcast'>,
): Step<void> {
	const device = params.device;
	if (!device || devices.isPaired(device.id, device.publicKey)) {
		return pass(undefined);
	}

	const {client} = params;
	const facts = {
		deviceId: device.id,
		publicKey: device.publicKey,
		...(client.displayName ? {displayName: client.displayName} : {}),
		platform: client.platform,
		clientId: client.id,
		clientMode: client.mode,
		role,
		scopes: (params.scopes ?? []).filter((scope): scope is string => typeof scope === 'string'),
		remoteIp: where.ip,
	};
	if (where.local && where.autoApproveLocal) {
		devices.pairSilently(facts);
		return pass(undefined);
	}

	const request = devices.request(facts);
	runtime.broadcast(events.devicePairRequested, request, {scope: scopeNames.pairing});
	return fail({kind: 'pairing', requestId: request.requestId, deviceId: device.id});
}

/** Step 5: the scopes this connection gets (scopes.ts), bounded by what an operator approved for a remote device. */
export function grantFor(
	params: ConnectParams,
	method: AuthMethod,
	where: {local: boolean; browser: boolean; cap?: string[]},
	devices: DevicePairingStore,
): string[] {
	const granted = grantScopes({
		requested: params.scopes,
		client: params.client,
		device: params.device !== undefined,
		// A proxied request arrives from loopback but was sent from elsewhere: not a direct local client.
		loopback: where.local,
		browser: where.browser,
		cap: where.cap,
	});
	if (params.device && (!where.local || method === 'device-token')) {
		// A device approved by an operator, or one using its token, gets at most the scopes approved for it.
		const approved = devices.pairedDevice(params.device.id)?.approvedScopes ?? [];
		return granted.filter((scope) => approved.includes(scope));
	}

	return granted;
}

/**
 * Step 6: a paired device that holds no device token for this role gets one in `hello-ok.auth.deviceToken` (after
 * its hash is on disk). One that just used its token keeps it.
 */
export async function deviceTokenFor(
	params: ConnectParams,
	role: Role,
	method: AuthMethod,
	devices: DevicePairingStore,
): Promise<{deviceToken: string; issuedAtMs: number} | undefined> {
	if (!params.device || method === 'device-token' || !devices.isPaired(params.device.id, params.device.publicKey)) {
		return undefined;
	}

	const issued = await devices.issueToken(params.device.id, role);
	return issued ? {deviceToken: issued.token, issuedAtMs: issued.issuedAtMs} : undefined;
}
