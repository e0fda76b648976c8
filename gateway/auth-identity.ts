// The ways in where someone in front of the gateway vouches for the user instead of a shared secret:
// - Tailscale Serve (`gateway.auth.allowTailscale` with `gateway.tailscale.mode: "serve"`): Serve proxies from this
//   host, adding `Tailscale-User-Login` and the X-Forwarded-* headers. Those are believed only from a loopback peer,
//   and only after tailscaled confirms (`tailscale whois`) that the forwarded client address belongs to that login:
//   a local process can forge the headers, not tailscaled's answer.
// - trusted-proxy mode: a proxy the operator listed in `gateway.trustedProxies` names the user in
//   `gateway.auth.trustedProxy.userHeader`. From any other peer the header is a claim anyone can make: refused.
// Both follow OpenClaw 2026.9.6's checks and reason words; connect-refusal.ts maps a reason to its detail code.
import type {IncomingHttpHeaders} from 'node:http';
import {networkInterfaces} from 'node:os';
import type {AuthDecision, AuthSettings} from './auth.js';
import {forwardedClientIp, headerValue, isLoopbackAddress, isTrustedProxy, normalizeIp, proxyList} from './proxy-trust.js';
import type {TailscaleWhois} from './tailscale-whois.js';

/** What the upgrade request said about where it came from: the TCP peer and the headers. */
export type Ingress = {peer: string; headers: IncomingHttpHeaders};

const forwardingHeaders = ['forwarded', 'x-forwarded-for', 'x-real-ip'];
const loopbackProxies = proxyList(['127.0.0.0/8', '::1']);

/** A process on this host connected straight to us: loopback peer, no forwarding headers. */
export function isDirectLocal(ingress: Ingress): boolean {
	return isLoopbackAddress(ingress.peer) && !forwardingHeaders.some((name) => ingress.headers[name] !== undefined);
}

/** Our own non-loopback interface addresses: a "proxy" there is any local process reaching us the long way round. */
function isOwnInterfaceAddress(ip: string): boolean {
	return Object.values(networkInterfaces()).some((entries) => entries?.some((entry) => normalizeIp(entry.address) === ip));
}

/** trusted-proxy mode: the user the listed proxy vouches for, or why its word does not count. Pure but for os lookups. */
export function trustedProxyIdentity(settings: AuthSettings, ingress: Ingress): {ok: true; user: string; clientIp: string} | {ok: false; reason: string; why: string} {
	const config = settings.trustedProxy;
	if (!config?.userHeader) {
		return {ok: false, reason: 'trusted_proxy_config_missing', why: 'gateway.auth.trustedProxy.userHeader is not set'};
	}

	const proxies = proxyList(settings.trustedProxies);
	const peer = normalizeIp(ingress.peer) ?? ingress.peer;
	if (!isTrustedProxy(peer, proxies)) {
		return {ok: false, reason: 'trusted_proxy_untrusted_source', why: `${peer} is not in gateway.trustedProxies`};
	}

	if (isLoopbackAddress(peer)) {
		if (config.allowLoopback !== true) {
			return {ok: false, reason: 'trusted_proxy_loopback_source', why: `${peer} is loopback and gateway.auth.trustedProxy.allowLoopback is not true`};
		}
	} else if (isOwnInterfaceAddress(peer)) {
		return {ok: false, reason: 'trusted_proxy_local_interface_source', why: `${peer} is this host's own address`};
	}

	for (const header of config.requiredHeaders ?? []) {
		if (!headerValue(ingress.headers, header)) {
			return {ok: false, reason: `trusted_proxy_missing_header_${header}`, why: `the proxy did not send ${header}`};
		}
	}

	const user = headerValue(ingress.headers, config.userHeader);
	if (!user) {
		return {ok: false, reason: 'trusted_proxy_user_missing', why: `the proxy did not send ${config.userHeader}`};
	}

	if ((config.allowUsers ?? []).length > 0 && !config.allowUsers!.includes(user)) {
		return {ok: false, reason: 'trusted_proxy_user_not_allowed', why: `${user} is not in gateway.auth.trustedProxy.allowUsers`};
	}

	// As OpenClaw: the proxy must say whom it relays (X-Forwarded-For, not loopback), or one proxy's users would all
	// be one client to the failed-auth budget and the pairing rules.
	const clientIp = forwardedClientIp(ingress.headers, proxies);
	if (!clientIp || isLoopbackAddress(clientIp)) {
		return {ok: false, reason: 'proxy_attribution_required', why: 'the proxy sent no X-Forwarded-For client address'};
	}

	return {ok: true, user, clientIp};
}

export type TailscaleClaim = {login: string; name?: string; profilePic?: string; clientIp: string};

/**
 * Whether this request is a Tailscale Serve request that claims an identity. Undefined when the identity headers do
 * not apply (Serve auth off, peer not loopback, no login header, or a Funnel request from the public internet): the
 * request then goes through the shared-secret check like any other, headers ignored.
 */
export function tailscaleServeClaim(settings: AuthSettings, ingress: Ingress): {ok: true; claim: TailscaleClaim} | {ok: false; reason: string; why: string} | undefined {
	if (!settings.allowTailscale || settings.tailscaleMode !== 'serve' || !isLoopbackAddress(ingress.peer)) {
		return undefined;
	}

	const login = headerValue(ingress.headers, 'tailscale-user-login');
	if (!login || headerValue(ingress.headers, 'tailscale-funnel-request')) {
		return undefined;
	}

	const forwarded = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'].filter((name) => !headerValue(ingress.headers, name));
	if (forwarded.length > 0) {
		return {ok: false, reason: 'tailscale_proxy_missing', why: `Tailscale-User-Login without ${forwarded.join(', ')}`};
	}

	const clientIp = forwardedClientIp(ingress.headers, loopbackProxies);
	if (!clientIp) {
		return {ok: false, reason: 'tailscale_proxy_missing', why: 'X-Forwarded-For names no tailnet client address'};
	}

	const name = headerValue(ingress.headers, 'tailscale-user-name');
	const profilePic = headerValue(ingress.headers, 'tailscale-user-profile-pic');
	return {ok: true, claim: {login, clientIp, ...(name ? {name} : {}), ...(profilePic ? {profilePic} : {})}};
}

/** Ask tailscaled whether the claimed login owns the forwarded address (case-insensitive, as logins are). */
export async function verifyTailscaleClaim(claim: TailscaleClaim, whois: TailscaleWhois): Promise<AuthDecision> {
	const answer = await whois(claim.clientIp);
	if (!answer.ok) {
		return {ok: false, reason: 'tailscale_whois_failed', why: answer.reason};
	}

	if (answer.identity.login.toLowerCase() !== claim.login.toLowerCase()) {
		return {ok: false, reason: 'tailscale_user_mismatch', why: `${claim.clientIp} belongs to ${answer.identity.login}, not ${claim.login}`};
	}

	return {ok: true, method: 'tailscale', user: answer.identity.login};
}
