// What the fuzz run checks about the channel routes beyond each answer (fuzz-channels.ts checks those): no forged
// request reached an agent (no session for any forged peer, ever), no replay ran twice (a replayed peer's session
// holds at most one turn), and no log line holds a configured secret or, on a refusal, the body. Signed messages
// that did make sessions are counted, to show the routes reached agents in this run (else the session checks
// could not have failed).
import {bodySecretMarker, channelPeer, isForged, loggedNever, sessionKeyOf, type ChannelFuzzInput} from './fuzz-channels.js';

export type ChannelFigures = {
	/** Inputs per `<route> <auth>`. */
	sent: Record<string, number>;
	/** Forged requests (unsigned, wrong secret, stale) sent, and answers that were not 2xx. */
	forged: number;
	refused: number;
	/** Sessions made by correctly signed messages (seen in sessions.list). */
	signedSessions: number;
	listings: number;
};

export class ChannelWatch {
	private readonly forgedKeys = new Set<string>();
	private readonly replayKeys = new Set<string>();
	private readonly signedKeys = new Set<string>();
	private readonly signedSeen = new Set<string>();
	readonly figures: ChannelFigures = {sent: {}, forged: 0, refused: 0, signedSessions: 0, listings: 0};

	/** Note one input as sent, with the statuses it got. */
	sent(input: ChannelFuzzInput, index: number, statuses: number[]): void {
		const label = `${input.route} ${input.auth}`;
		this.figures.sent[label] = (this.figures.sent[label] ?? 0) + 1;
		const key = sessionKeyOf(input.route, channelPeer(input, index));
		if (isForged(input)) {
			this.figures.forged++;
			this.figures.refused += statuses[0] >= 200 && statuses[0] < 300 ? 0 : 1;
			this.forgedKeys.add(key);
		} else if (input.auth === 'replayed') {
			this.replayKeys.add(key);
		} else {
			this.signedKeys.add(key);
		}
	}

	/** One sessions.list: what in it breaks an invariant. */
	sessions(rows: ReadonlyArray<{key: string; messageCount?: unknown}>): string[] {
		this.figures.listings++;
		const problems: string[] = [];
		for (const row of rows) {
			if (this.forgedKeys.has(row.key)) {
				problems.push(`a forged request reached an agent: session ${row.key} exists`);
			}

			// One turn is a user message and the answer; a replay that ran would add two more.
			if (this.replayKeys.has(row.key) && typeof row.messageCount === 'number' && row.messageCount > 2) {
				problems.push(`a replayed request ran again: session ${row.key} has ${row.messageCount} messages`);
			}

			if (this.signedKeys.has(row.key) && !this.signedSeen.has(row.key)) {
				this.signedSeen.add(row.key);
				this.figures.signedSessions++;
			}
		}

		return problems;
	}

	/** One log line: a secret anywhere, or the body on a refusal. */
	logLine(line: string): string | undefined {
		const secret = loggedNever.find((value) => line.includes(value));
		if (secret) {
			return `a log line holds a configured secret (${secret.slice(0, 8)}…): ${line.slice(0, 200)}`;
		}

		if (line.includes('refused') && line.includes(bodySecretMarker)) {
			return `a refusal log line holds the request body: ${line.slice(0, 200)}`;
		}

		return undefined;
	}
}
