// Token usage of agent runs, added up per UTC day for `usage.cost`: <stateDir>/usage/daily.json, rewritten
// atomically after each run (a crash loses at most the run that was being added). Cost comes from the price the
// config gives the model (`models.providers.<name>.models[] {id, cost: {input, output, cacheRead, cacheWrite}}`, US
// dollars per million tokens, OpenClaw's format); the offline echo model is free; a run of a model with no price
// counts in `missingCostEntries` instead of being costed at zero.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomic} from '../../source/protocol/config/write.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';
import type {TokenUsage} from '../agents/provider.js';
import type {UsageCostResult, UsageTotals} from '../../source/protocol/methods/index.js';

/** One day's (or the whole window's) token and cost totals, as `usage.cost` reports them. */
export type DayTotals = UsageTotals;

export type ModelPrice = {input: number; output: number; cacheRead: number; cacheWrite: number};

/** Days kept in the file; older ones are dropped (usage.cost asks for 30 by default). */
const keepDays = 400;

export function emptyTotals(): DayTotals {
	return {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0, totalCost: 0, inputCost: 0, outputCost: 0, cacheReadCost: 0, cacheWriteCost: 0, missingCostEntries: 0};
}

export function utcDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** The price of `<provider>/<model>` from the config; echo is free; undefined when the config names none. */
export function modelPrice(config: GatewayConfig, modelRef: string): ModelPrice | undefined {
	if (modelRef === 'echo') {
		return {input: 0, output: 0, cacheRead: 0, cacheWrite: 0};
	}

	const slash = modelRef.indexOf('/');
	const provider = (config.models?.providers as Record<string, {models?: unknown}> | undefined)?.[modelRef.slice(0, slash)];
	const models = Array.isArray(provider?.models) ? (provider.models as Array<{id?: unknown; cost?: Partial<ModelPrice>}>) : [];
	const cost = models.find((model) => model.id === modelRef.slice(slash + 1))?.cost;
	if (!cost || typeof cost !== 'object') {
		return undefined;
	}

	const rate = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);
	return {input: rate(cost.input), output: rate(cost.output), cacheRead: rate(cost.cacheRead), cacheWrite: rate(cost.cacheWrite)};
}

export function addUsage(totals: DayTotals, usage: TokenUsage, price: ModelPrice | undefined): DayTotals {
	const next = {...totals};
	next.input += usage.input;
	next.output += usage.output;
	next.cacheRead += usage.cacheRead;
	next.cacheWrite += usage.cacheWrite;
	next.totalTokens += usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
	if (price) {
		const perToken = (count: number, rate: number) => (count * rate) / 1_000_000;
		next.inputCost += perToken(usage.input, price.input);
		next.outputCost += perToken(usage.output, price.output);
		next.cacheReadCost += perToken(usage.cacheRead, price.cacheRead);
		next.cacheWriteCost += perToken(usage.cacheWrite, price.cacheWrite);
		next.totalCost = next.inputCost + next.outputCost + next.cacheReadCost + next.cacheWriteCost;
	} else {
		next.missingCostEntries++;
	}

	return next;
}

export class UsageLedger {
	private days = new Map<string, DayTotals>();
	private writing: Promise<void> = Promise.resolve();

	constructor(readonly stateDir: string) {}

	get file(): string {
		return path.join(this.stateDir, 'usage', 'daily.json');
	}

	async load(): Promise<void> {
		try {
			const stored = JSON.parse(await readFile(this.file, 'utf8')) as {days?: Record<string, DayTotals>};
			this.days = new Map(Object.entries(stored.days ?? {}).map(([date, totals]) => [date, {...emptyTotals(), ...totals}]));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw new Error(`usage ledger ${this.file} is unreadable (${(error as Error).message}): fix or remove it`);
			}
		}
	}

	/** Add one run's usage to its day; resolves once it is on disk. */
	async record(at: number, usage: TokenUsage, price: ModelPrice | undefined): Promise<void> {
		const date = utcDate(at);
		this.days.set(date, addUsage(this.days.get(date) ?? emptyTotals(), usage, price));
		const dates = [...this.days.keys()].sort();
		for (const old of dates.slice(0, Math.max(0, dates.length - keepDays))) {
			this.days.delete(old);
		}

		const text = `${JSON.stringify({version: 1, days: Object.fromEntries(this.days)}, null, 2)}\n`;
		this.writing = this.writing.then(async () => writeFileAtomic(this.file, text, {mode: 0o600}));
		return this.writing;
	}

	/** `usage.cost`: one row per day of the last `days` UTC days (today last), and their totals. */
	cost(days: number, now = Date.now()): UsageCostResult {
		const daily = [];
		let totals = emptyTotals();
		for (let back = days - 1; back >= 0; back--) {
			const date = utcDate(now - back * 86_400_000);
			const day = this.days.get(date) ?? emptyTotals();
			daily.push({date, ...day});
			for (const key of Object.keys(totals) as Array<keyof DayTotals>) {
				totals = {...totals, [key]: totals[key] + day[key]};
			}
		}

		return {updatedAt: now, days, daily, totals};
	}
}
