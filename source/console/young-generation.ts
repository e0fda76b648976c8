// The console's young generation (V8's nursery), sized for a log flood without keeping what a flood grew.
//
// A flood allocates fast, and a log line lives in the ring for a fraction of a second. With V8's start-up nursery
// (1 MiB semi-spaces) lines survive two scavenges and are promoted, so the old generation fills with dead lines and
// swings by ~60 MiB between major collections. Left alone, V8 grows the nursery to 2 x 16 MiB and keeps it for the
// rest of the day. In between: let it grow until the new space is `maxBytes`, then stop its growth
// (--semi-space-growth-factor is read whenever the nursery would grow, so setting it later takes effect).
import {PerformanceObserver} from 'node:perf_hooks';
import {getHeapSpaceStatistics, setFlagsFromString} from 'node:v8';

function newSpaceBytes(): number {
	return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/** After each collection, until the nursery has reached `maxBytes`: then freeze it there. */
export function capYoungGeneration(maxBytes: number): void {
	const freeze = () => {
		setFlagsFromString('--semi-space-growth-factor=1');
	};

	if (newSpaceBytes() >= maxBytes) {
		freeze();
		return;
	}

	const observer = new PerformanceObserver(() => {
		if (newSpaceBytes() >= maxBytes) {
			freeze();
			observer.disconnect();
		}
	});
	observer.observe({entryTypes: ['gc']});
}
