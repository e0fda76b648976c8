// When each gateway is probed: at most `concurrency` connection attempts at once, and each gateway's polls offset
// within the interval so a fleet of 100 is polled a few at a time, never all in the same tick.

/** Run `task`s at most `concurrency` at a time (the rest queue, in order). */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
	let running = 0;
	const queue: Array<() => void> = [];
	const next = () => {
		if (running < concurrency) {
			queue.shift()?.();
		}
	};

	return async <T>(task: () => Promise<T>): Promise<T> =>
		new Promise<T>((resolve, reject) => {
			queue.push(() => {
				running++;
				task()
					.then(resolve, reject)
					.finally(() => {
						running--;
						next();
					});
			});
			next();
		});
}

/** Gateway `index` of `count`'s slot within the interval (its polls' offset): evenly spread over one interval. */
export function pollOffset(index: number, count: number, intervalMs: number): number {
	return count <= 1 ? 0 : Math.floor((index * intervalMs) / count);
}
