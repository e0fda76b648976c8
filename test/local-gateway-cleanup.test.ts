// installCleanupHandlers: what the console does on SIGTERM/SIGHUP/SIGINT and at exit, with stand-in targets.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {installCleanupHandlers, type CleanupTarget} from '../source/supervisor/cleanup.js';

function target(disposeMs: number | 'never' = 0): CleanupTarget & {calls: string[]} {
	const calls: string[] = [];
	return {
		calls,
		async dispose() {
			calls.push('dispose');
			if (disposeMs === 'never') {
				await new Promise(() => {});
				return;
			}

			await new Promise((resolve) => setTimeout(resolve, disposeMs));
			calls.push('disposed');
		},
		disposeSync() {
			calls.push('disposeSync');
		},
	};
}

function exitRecorder(): {codes: number[]; exit: (code: number) => void; next: Promise<number>} {
	const codes: number[] = [];
	let resolveNext: (code: number) => void = () => {};
	const next = new Promise<number>((resolve) => {
		resolveNext = resolve;
	});
	return {
		codes,
		next,
		exit(code) {
			codes.push(code);
			resolveNext(code);
		},
	};
}

describe('cleanup handlers', () => {
	test('a signal disposes every target cleanly, then exits 128+signal', async () => {
		const first = target(50);
		const second = target(10);
		const recorder = exitRecorder();
		const uninstall = installCleanupHandlers([first, second], {exit: recorder.exit, signals: ['SIGHUP']});
		try {
			process.emit('SIGHUP', 'SIGHUP');
			assert.equal(await recorder.next, 129);
			assert.deepEqual(first.calls.slice(0, 2), ['dispose', 'disposed']);
			assert.deepEqual(second.calls.slice(0, 2), ['dispose', 'disposed']);
		} finally {
			uninstall();
		}
	});

	test('a dispose that hangs is cut off after timeoutMs', async () => {
		const stuck = target('never');
		const recorder = exitRecorder();
		const uninstall = installCleanupHandlers(stuck, {exit: recorder.exit, signals: ['SIGTERM'], timeoutMs: 100});
		try {
			const started = Date.now();
			process.emit('SIGTERM', 'SIGTERM');
			assert.equal(await recorder.next, 143);
			assert.ok(Date.now() - started < 2000);
			assert.deepEqual(stuck.calls, ['dispose', 'disposeSync'], 'the sync fallback still stops the child');
		} finally {
			uninstall();
		}
	});

	test('a second signal exits at once', async () => {
		const slow = target('never');
		const recorder = exitRecorder();
		const uninstall = installCleanupHandlers(slow, {exit: recorder.exit, signals: ['SIGINT'], timeoutMs: 10_000});
		try {
			process.emit('SIGINT', 'SIGINT');
			process.emit('SIGINT', 'SIGINT');
			assert.deepEqual(recorder.codes, [130]);
			assert.deepEqual(slow.calls, ['dispose', 'disposeSync']);
		} finally {
			uninstall();
		}
	});

	test('uninstall removes every listener it added', () => {
		const before = {term: process.listenerCount('SIGTERM'), hup: process.listenerCount('SIGHUP'), int: process.listenerCount('SIGINT'), exit: process.listenerCount('exit')};
		const uninstall = installCleanupHandlers(target());
		assert.equal(process.listenerCount('SIGTERM'), before.term + 1);
		assert.equal(process.listenerCount('exit'), before.exit + 1);
		uninstall();
		assert.deepEqual({term: process.listenerCount('SIGTERM'), hup: process.listenerCount('SIGHUP'), int: process.listenerCount('SIGINT'), exit: process.listenerCount('exit')}, before);
	});
});
