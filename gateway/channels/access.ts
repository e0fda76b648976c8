// Who may talk to the agent on a channel, with OpenClaw's `dmPolicy` / `allowFrom` semantics:
// - `pairing` (OpenClaw's default): peers in `allowFrom` or approved through pairing (pairing.ts); an unknown peer
//   gets no agent, only a pairing code to hand the operator.
// - `allowlist`: only peers in `allowFrom`.
// - `open`: anyone, but only when `allowFrom` holds `"*"` (OpenClaw drops every DM otherwise: an `open` without
//   the wildcard is a config mistake, not an invitation).
// - `disabled`: nobody.
export const dmPolicies = ['pairing', 'allowlist', 'open', 'disabled'] as const;
export type DmPolicy = (typeof dmPolicies)[number];
export const defaultDmPolicy: DmPolicy = 'pairing';

export type AccessDecision = {allowed: true} | {allowed: false; reason: 'not-allowed' | 'pairing-required' | 'disabled' | 'open-without-wildcard'};

/** `allowFrom` entries as OpenClaw writes them (numbers, `@name`, `tg:123`): compared as trimmed lowercase strings. */
export function normalizeAllowEntry(entry: string | number): string {
	return String(entry)
		.trim()
		.toLowerCase()
		.replace(/^(telegram|tg|slack|discord|webhook):/, '');
}

/**
 * The decision for one peer. `identities` are the forms the peer is known by on its service (a numeric id and an
 * `@username` on Telegram); any one of them on the list lets the peer in.
 */
export function decideAccess(
	policy: DmPolicy | undefined,
	allowFrom: ReadonlyArray<string | number> | undefined,
	identities: readonly string[],
): AccessDecision {
	const effective = policy ?? defaultDmPolicy;
	const list = new Set((allowFrom ?? []).map(normalizeAllowEntry));
	if (effective === 'disabled') {
		return {allowed: false, reason: 'disabled'};
	}

	if (effective === 'open') {
		return list.has('*') ? {allowed: true} : {allowed: false, reason: 'open-without-wildcard'};
	}

	if (identities.some((identity) => list.has(normalizeAllowEntry(identity)))) {
		return {allowed: true};
	}

	return {allowed: false, reason: effective === 'pairing' ? 'pairing-required' : 'not-allowed'};
}
