// Where cron jobs live: <stateDir>/cron/jobs.json, rewritten whole and atomically on every change (a crash leaves
// the old file or the new one), and one append-only run log per job, <stateDir>/cron/runs/<jobId>.jsonl, cut back
// to its newest entries when it grows. Writes to one file go one after another, also across server generations of
// one process: an in-process restart's new scheduler reads what the old one last wrote.
import {appendFile, mkdir, readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomic} from '../../source/protocol/config/write.js';
import type {CronJob, CronJobState, CronPayload, CronRunEntry} from '../../source/protocol/methods/cron.js';

export type {CronJob, CronJobState, CronPayload, CronRunEntry};

/** Run log entries kept per job; the file is cut back to this many when it reaches twice as many. */
export const runLogKeep = 200;

const chains = new Map<string, Promise<unknown>>();

/** Run `task` after every earlier task on the same file (of any store instance in this process). */
function serialized<T>(file: string, task: () => Promise<T>): Promise<T> {
	const result = (chains.get(file) ?? Promise.resolve()).then(task, task);
	chains.set(
		file,
		result.catch(() => {}),
	);
	return result;
}

export class CronStore {
	constructor(readonly stateDir: string) {}

	get jobsFile(): string {
		return path.join(this.stateDir, 'cron', 'jobs.json');
	}

	runLogFile(jobId: string): string {
		return path.join(this.stateDir, 'cron', 'runs', `${encodeURIComponent(jobId)}.jsonl`);
	}

	async loadJobs(): Promise<CronJob[]> {
		return serialized(this.jobsFile, async () => {
			let text: string;
			try {
				text = await readFile(this.jobsFile, 'utf8');
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
					return [];
				}

				throw error;
			}

			const stored = JSON.parse(text) as {jobs?: unknown};
			if (!Array.isArray(stored.jobs)) {
				throw new Error(`${this.jobsFile} has no "jobs" list: fix or remove it`);
			}

			return stored.jobs as CronJob[];
		});
	}

	async saveJobs(jobs: CronJob[]): Promise<void> {
		const text = `${JSON.stringify({version: 1, jobs}, null, 2)}\n`;
		await serialized(this.jobsFile, async () => writeFileAtomic(this.jobsFile, text, {mode: 0o600}));
	}

	async appendRun(entry: CronRunEntry): Promise<void> {
		const file = this.runLogFile(entry.jobId);
		await serialized(file, async () => {
			await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
			await appendFile(file, `${JSON.stringify(entry)}\n`, {mode: 0o600});
			const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
			if (lines.length >= runLogKeep * 2) {
				await writeFileAtomic(file, `${lines.slice(-runLogKeep).join('\n')}\n`, {mode: 0o600});
			}
		});
	}

	/** Newest first; a torn last line (a crash mid-append) is skipped. */
	async readRuns(jobId: string): Promise<CronRunEntry[]> {
		const file = this.runLogFile(jobId);
		return serialized(file, async () => {
			let text = '';
			try {
				text = await readFile(file, 'utf8');
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
					throw error;
				}
			}

			const entries: CronRunEntry[] = [];
			for (const line of text.split('\n')) {
				try {
					entries.push(JSON.parse(line) as CronRunEntry);
				} catch {}
			}

			return entries.reverse();
		});
	}

	async removeRuns(jobId: string): Promise<void> {
		const file = this.runLogFile(jobId);
		await serialized(file, async () => rm(file, {force: true}));
	}
}
