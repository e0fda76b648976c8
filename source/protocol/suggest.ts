// "Did you mean": the closest known word to a mistyped one, by edit distance, when it is close enough to help.
// Shared by the CLI (command words) and the config checks (key names), so both suggest alike.

/**
 * Edit distance where swapping two neighbouring letters is one edit (optimal string alignment): `prot` is one slip
 * from `port`, as a typist sees it, not the two a plain Levenshtein distance counts. Words here are short.
 */
export function editDistance(a: string, b: string): number {
	let beforePrevious: number[] = [];
	let previous = Array.from({length: b.length + 1}, (_item, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
			}
		}

		beforePrevious = previous;
		previous = current;
	}

	return previous[b.length];
}

/** The candidate nearest to `word`, if at most a third of its letters (and at least one) differ. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
	let best: {candidate: string; distance: number} | undefined;
	for (const candidate of candidates) {
		const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
		if (!best || distance < best.distance) {
			best = {candidate, distance};
		}
	}

	return best && best.distance <= Math.max(1, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

/** ` Did you mean "x"?` or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
	const suggestion = closest(word, candidates);
	return suggestion ? ` Did you mean "${suggestion}"?` : '';
}
