// For benches that run a helper process: wait until its output (so far, or still to come) matches a pattern.
export function lineReader(stream: NodeJS.ReadableStream): (pattern: RegExp, timeoutMs: number) => Promise<RegExpMatchArray> {
	let text = '';
	const waiters = new Set<() => void>();
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString();
		for (const waiter of waiters) {
			waiter();
		}
	});
	return async (pattern, timeoutMs) =>
		new Promise((resolve, reject) => {
			const check = () => {
				const match = pattern.exec(text);
				if (match) {
					waiters.delete(check);
					clearTimeout(timer);
					resolve(match);
				}
			};

			const timer = setTimeout(() => {
				waiters.delete(check);
				reject(new Error(`bench helper: no ${pattern} within ${timeoutMs} ms; output: ${text}`));
			}, timeoutMs);
			waiters.add(check);
			check();
		});
}
