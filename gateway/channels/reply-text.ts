// What a finished run says to a channel peer: the answer's text, cut to what every service accepts, and marked as
// cut when the run was stopped under it. One rule for both ways out: the answer to an inbound message (router.ts) and
// an `agent` turn delivered to a peer (`deliver: true`).
import type {RunOutcome} from '../agents/run.js';

/** Replies longer than this are cut (every service has a message size limit; Telegram's is 4096). */
export const maxReplyChars = 4000;

/** The text to send, or undefined when the run gave no answer to send (failed, or said nothing). */
export function replyText(outcome: RunOutcome): string | undefined {
	const answer = outcome.result.payloads.map((payload) => payload.text).join('\n').trim();
	if (outcome.status !== 'ok' || !answer) {
		return undefined;
	}

	// Part of an answer goes out rather than none, but never passed off as the whole one: a run stopped under it (the
	// gateway stopping, an abort) is said to be cut.
	const {aborted, stopReason} = outcome.result.meta;
	const note = aborted ? `\n\n(cut short: ${stopReason === 'shutdown' ? 'the gateway was stopping' : 'the run was stopped'})` : '';
	const room = maxReplyChars - note.length;
	return `${answer.length > room ? `${answer.slice(0, room - 1)}…` : answer}${note}`;
}
