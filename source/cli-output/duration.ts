// Human durations for status lines: `3d 4h`, `5m 12s`, `850 ms`.

/** A span of time, two units at most: `2h 5m`, `45s`; below a second, milliseconds. */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) {
		return 'unknown';
	}

	if (ms < 1000) {
		return `${Math.round(ms)} ms`;
	}

	const units: Array<[string, number]> = [
		['d', 86_400_000],
		['h', 3_600_000],
		['m', 60_000],
		['s', 1000],
	];
	const parts: string[] = [];
	let rest = Math.floor(ms);
	for (const [name, size] of units) {
		const count = Math.floor(rest / size);
		if (count > 0 || parts.length > 0) {
			parts.push(`${count}${name}`);
			rest -= count * size;
		}

		if (parts.length === 2) {
			break;
		}
	}

	return parts.filter((part) => !part.startsWith('0') || parts.length === 1).join(' ') || '0s';
}

/** How long ago a timestamp was, for `in:5m ago` style bits. */
export function formatAgo(timestampMs: number, now = Date.now()): string {
	return `${formatDuration(Math.max(0, now - timestampMs))} ago`;
}
