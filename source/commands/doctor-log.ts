// `openclaw doctor` reads the recent tail of the local gateway's log for known failure signatures
// (source/protocol/signatures.ts) and reports each one found with its fix: the same words the console and the
// gateway's own errors use. Only what was logged since the gateway last started listening counts: a failure that a
// later successful start put right is history, not a finding.
import {isRecord} from '../protocol/index.js';
import {matchSignature, meaningSentence, type Signature} from '../protocol/signatures.js';
import type {CheckResult} from './doctor-checks.js';

/** How much of the log doctor reads: enough for a day of an idle gateway, little enough to stay fast. */
export const logTailLimits = {limit: 1000, maxBytes: 500_000} as const;

type Record_ = {time?: string; message: string};

function parseLine(line: string): Record_ {
	try {
		const record = JSON.parse(line) as unknown;
		if (isRecord(record)) {
			const message = typeof record.message === 'string' ? record.message : typeof record['0'] === 'string' ? record['0'] : line;
			const meta = isRecord(record._meta) ? record._meta : {};
			const time = typeof record.time === 'string' ? record.time : typeof meta.date === 'string' ? meta.date : undefined;
			return {time, message};
		}
	} catch {
		// A plain line (OpenClaw's console mirror, a hand-written note): matched as it is.
	}

	return {message: line};
}

/** Ours: "listening on ws://..."; OpenClaw's: "http server listening (...)". */
const startedListening = /^listening on ws:\/\/|^http server listening\b/;

type Finding = {signature: Signature; count: number; last: Record_};

/** The signatures in `lines` (oldest first) since the last start, one finding per signature, newest sighting kept. */
export function findSignatures(lines: readonly string[]): Finding[] {
	const records = lines.map(parseLine);
	let from = 0;
	for (const [index, record] of records.entries()) {
		if (startedListening.test(record.message)) {
			from = index + 1;
		}
	}

	const found = new Map<string, Finding>();
	let lastStart: string | undefined;
	for (const record of records.slice(from)) {
		const known = matchSignature(record.message);
		if (known) {
			const previous = found.get(known.id);
			found.set(known.id, {signature: known, count: (previous?.count ?? 0) + 1, last: record});
			lastStart = known.phase === 'start' ? known.id : lastStart;
		}
	}

	// Each failed start was a new attempt: only the newest one's reason is the state of things.
	return [...found.values()].filter((finding) => finding.signature.phase === 'connect' || finding.signature.id === lastStart);
}

/** At most `max` characters of a log line, from a little before the signature's words (OpenClaw puts them last). */
function excerpt(text: string, signature: Signature, max = 160): string {
	if (text.length <= max) {
		return text;
	}

	const at = Math.min(...signature.patterns.map((pattern) => text.search(pattern)).filter((index) => index >= 0), text.length);
	const start = at < max - 40 ? 0 : Math.max(0, at - 20);
	const end = start + max - (start > 0 ? 2 : 1);
	return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/**
 * One check per signature found (id `log:<signature>`), or one ok check. A start failure with no gateway answering
 * is the state of things (fail); with one answering it was another instance's (warn). A refused client is a warning.
 */
export function logSignatureChecks(input: {file?: string; lines: readonly string[]; gatewayUp: boolean}): CheckResult[] {
	if (!input.file) {
		return [{id: 'log', verdict: 'ok', message: 'no local log file yet (nothing to diagnose)'}];
	}

	const findings = findSignatures(input.lines);
	if (findings.length === 0) {
		return [{id: 'log', verdict: 'ok', message: `no known failure signature in the recent log (${input.file})`}];
	}

	return findings.map(({signature, count, last}) => {
		const when = last.time ? ` at ${last.time}` : '';
		const times = count > 1 ? ` (${count} times since the gateway last started)` : '';
		return {
			id: `log:${signature.id}`,
			verdict: signature.phase === 'start' && !input.gatewayUp ? 'fail' : 'warn',
			message: `${meaningSentence(signature)} Seen in the log${when}${times}: "${excerpt(last.message.replace(/\.?\s*Fix: .*$/, ''), signature)}"`,
			fix: signature.fix,
		};
	});
}
