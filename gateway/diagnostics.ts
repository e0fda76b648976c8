// The stability recorder behind `diagnostics.stability`: a bounded ring of what the gateway did (start-up, agent runs
// and their outcome, memory samples), each with a sequence number, so `openclaw gateway stability` can show what
// happened before a slowdown or a crash without reading the logs. Fixed capacity: old events fall off and are counted.

import type {DiagnosticEvent, MemorySample, StabilityParams, StabilityResult} from '../source/protocol/methods/index.js';

export type {DiagnosticEvent};

export type StabilityQuery = StabilityParams;

export const stabilityCapacity = 1000;
const defaultLimit = 25;
/** A memory sample over this RSS counts as pressure (the gateway idles far below it). */
const rssPressureBytes = 1024 * 1024 * 1024;

export class DiagnosticsRecorder {
	private readonly ring: DiagnosticEvent[] = [];
	private nextSeq = 1;
	private dropped = 0;
	private readonly byType = new Map<string, number>();
	private latestMemory?: MemorySample;
	private maxRssBytes = 0;
	private maxHeapUsedBytes = 0;
	private pressureCount = 0;

	constructor(private readonly capacity = stabilityCapacity) {}

	record(type: string, fields: Record<string, unknown> = {}): DiagnosticEvent {
		const event: DiagnosticEvent = {...fields, seq: this.nextSeq++, ts: Date.now(), type};
		this.ring.push(event);
		if (this.ring.length > this.capacity) {
			this.ring.shift();
			this.dropped++;
		}

		this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
		return event;
	}

	sampleMemory(): void {
		const usage = process.memoryUsage();
		const memory: MemorySample = {
			rssBytes: usage.rss,
			heapTotalBytes: usage.heapTotal,
			heapUsedBytes: usage.heapUsed,
			externalBytes: usage.external,
			arrayBuffersBytes: usage.arrayBuffers,
		};
		this.latestMemory = memory;
		this.maxRssBytes = Math.max(this.maxRssBytes, memory.rssBytes);
		this.maxHeapUsedBytes = Math.max(this.maxHeapUsedBytes, memory.heapUsedBytes);
		if (memory.rssBytes > rssPressureBytes) {
			this.pressureCount++;
		}

		this.record('diagnostic.memory.sample', {memory});
	}

	/** OpenClaw's snapshot shape: the ring's bounds, the newest `limit` matching events, and a summary. */
	snapshot(query: StabilityQuery = {}): StabilityResult {
		const limit = query.limit ?? defaultLimit;
		const matching = this.ring.filter(
			(event) => (query.type === undefined || event.type === query.type) && (query.sinceSeq === undefined || event.seq > query.sinceSeq),
		);
		return {
			generatedAt: new Date().toISOString(),
			capacity: this.capacity,
			count: this.ring.length,
			dropped: this.dropped,
			firstSeq: this.ring[0]?.seq ?? null,
			lastSeq: this.ring.at(-1)?.seq ?? null,
			events: matching.slice(-limit),
			summary: {
				byType: Object.fromEntries(this.byType),
				...(this.latestMemory
					? {memory: {latest: this.latestMemory, maxRssBytes: this.maxRssBytes, maxHeapUsedBytes: this.maxHeapUsedBytes, pressureCount: this.pressureCount}}
					: {}),
			},
		};
	}
}
