// One agent run: its identity, its streamed events (`agent` payloads with a per-run `seq`), and its outcome.
// Listeners (the RPC caller, an HTTP response stream) subscribe to the run; the runner also publishes every event
// to operator clients.
import {EventEmitter} from 'node:events';
import type {TokenUsage} from './provider.js';
import type {AgentAccepted, AgentRunOutcome, RunStatus} from '../../source/protocol/methods/agents.js';

export type AgentStream = 'lifecycle' | 'assistant';

export type AgentEventPayload = {
	runId: string;
	seq: number;
	stream: AgentStream;
	ts: number;
	data: Record<string, unknown>;
	sessionKey: string;
	agentId: string;
};

export type {RunStatus};
/** How a run ended (the final answer of `agent`) and its first answer: the method map's shapes. */
export type RunOutcome = AgentRunOutcome;

export type AcceptedPayload = AgentAccepted;

export type StopReason = 'aborted' | 'timeout' | 'shutdown' | 'client-disconnected';

export class AgentRun extends EventEmitter {
	readonly acceptedAt = Date.now();
	readonly controller = new AbortController();
	text = '';
	/** Token counts the model reported, summed over its calls (undefined when it reported none). */
	usage?: TokenUsage;
	outcome?: RunOutcome;
	endedAt?: number;
	stopReason?: StopReason;
	/** The directory the agent works in (its cwd for tools), created before the model runs; see workspace.ts. */
	workspaceDir?: string;
	/** The answer on its way to a channel peer, when the caller asked for that (`deliver`): the request's final outcome. */
	delivery?: Promise<RunOutcome>;
	/** Why that delivery failed (not best effort): OpenClaw then counts the run as failed, with this error. */
	deliveryError?: string;
	private deliverySettled?: Promise<void>;
	private seq = 0;
	private settle!: (outcome: RunOutcome) => void;
	readonly done: Promise<RunOutcome> = new Promise((resolve) => {
		this.settle = resolve;
	});

	constructor(
		readonly runId: string,
		readonly sessionKey: string,
		readonly agentId: string,
		/** The selected model ref; once resolved, the full `<provider>/<model>`. */
		public model: string,
	) {
		super();
	}

	get finished(): boolean {
		return this.outcome !== undefined;
	}

	accepted(): AcceptedPayload {
		return {runId: this.runId, sessionKey: this.sessionKey, agentId: this.agentId, status: 'accepted', acceptedAt: this.acceptedAt};
	}

	/** Stop the run; the model stream ends at its next delta and the outcome says why. */
	abort(reason: StopReason): boolean {
		if (this.finished || this.controller.signal.aborted) {
			return false;
		}

		this.stopReason = reason;
		this.controller.abort();
		return true;
	}

	/** Follow the delivery of this run's answer (deliver-answer.ts): the run is over only once it is. */
	trackDelivery(delivery: Promise<RunOutcome>): void {
		this.delivery = delivery;
		this.deliverySettled = delivery.then(
			() => undefined,
			(error: Error) => {
				this.deliveryError = error.message;
			},
		);
	}

	/**
	 * Resolves once the run has ended and its answer, if it was to go to a peer, went out or failed to: OpenClaw ends
	 * such a run (its lifecycle end, what agent.wait sees) only after the delivery.
	 */
	async settled(): Promise<void> {
		await (this.deliverySettled ?? this.done);
	}

	event(stream: AgentStream, data: Record<string, unknown>): AgentEventPayload {
		const payload: AgentEventPayload = {
			runId: this.runId,
			seq: ++this.seq,
			stream,
			ts: Date.now(),
			data,
			sessionKey: this.sessionKey,
			agentId: this.agentId,
		};
		this.emit('event', payload);
		return payload;
	}

	/** Memory this run's result holds (UTF-16 code units, as the heap stores them). */
	get resultBytes(): number {
		return this.text.length * 2;
	}

	/** Forget the result text (the runner's byte budget is spent); status and meta stay for agent.wait and retries. */
	dropResult(): void {
		this.text = '';
		if (this.outcome) {
			// In place: `done` resolved with this very object and keeps it (and its text) alive for good.
			this.outcome.result.payloads = [];
			this.outcome.result.meta.resultDropped = true;
		}
	}

	finish(outcome: RunOutcome): void {
		this.outcome = outcome;
		this.endedAt = Date.now();
		this.settle(outcome);
		this.emit('done', outcome);
	}
}
