// Which socket peers may speak for someone else. A forwarded-for or identity header is only a claim: anyone can send
// one, so it counts only when the TCP peer itself is a proxy the operator named (`gateway.trustedProxies`), and the
// client address it names is read from the right, skipping hops that are themselves trusted proxies (the leftmost
// entries are whatever the original client chose to send).
import {BlockList, isIP} from 'node:net';
import type {IncomingHttpHeaders} from 'node:http';
import {isLoopbackAddress} from '../source/protocol/config/paths.js';

/** `::ffff:10.0.0.1` is how Node reports an IPv4 peer on a dual-stack socket: compare it as `10.0.0.1`. */
export function normalizeIp(address: string | undefined): string | undefined {
	if (!address) {
		return undefined;
	}

	const bare = address.trim().replace(/^\[|\]$/g, '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
	return isIP(bare) === 0 ? undefined : bare;
}

/** An IP or CIDR as `gateway.trustedProxies` accepts it; undefined when it is neither (the schema reports it). */
export function parseProxyEntry(entry: string): {address: string; prefix: number; family: 'ipv4' | 'ipv6'} | undefined {
	const [rawAddress, rawPrefix, extra] = entry.trim().split('/');
	const address = normalizeIp(rawAddress);
	if (!address || extra !== undefined) {
		return undefined;
	}

	const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
	const max = family === 'ipv6' ? 128 : 32;
	if (rawPrefix === undefined) {
		return {address, prefix: max, family};
	}

	if (!/^\d{1,3}$/.test(rawPrefix) || Number(rawPrefix) > max) {
		return undefined;
	}

	return {address, prefix: Number(rawPrefix), family};
}

export function proxyList(entries: readonly string[] | undefined): BlockList {
	const list = new BlockList();
	for (const entry of entries ?? []) {
		const parsed = parseProxyEntry(entry);
		if (parsed) {
			list.addSubnet(parsed.address, parsed.prefix, parsed.family);
		}
	}

	return list;
}

export function isTrustedProxy(address: string | undefined, proxies: BlockList): boolean {
	const ip = normalizeIp(address);
	return ip !== undefined && proxies.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	const first = Array.isArray(value) ? value[0] : value;
	const trimmed = first?.trim();
	return trimmed ? trimmed : undefined;
}

/**
 * The client a trusted proxy forwarded: the rightmost X-Forwarded-For entry that is not itself a trusted proxy.
 * Undefined when the header is absent, names only proxies, or has an entry that is not an IP.
 */
export function forwardedClientIp(headers: IncomingHttpHeaders, proxies: BlockList): string | undefined {
	const chain = (headerValue(headers, 'x-forwarded-for') ?? '').split(',').map((hop) => hop.trim());
	for (let index = chain.length - 1; index >= 0; index--) {
		const ip = normalizeIp(chain[index]);
		if (ip === undefined) {
			return undefined;
		}

		if (!isTrustedProxy(ip, proxies)) {
			return ip;
		}
	}

	return undefined;
}

export {isLoopbackAddress};
