// The console's diagnosis: a known failure signature (source/protocol/signatures.ts) seen in the local child's
// output, the gateway's log or a refused connect, kept while its condition lasts. A start signature is over once the
// gateway runs; a connect signature once the console gets in, or when the link fails for another reason. Lines older
// than the last time the gateway was seen up (a log tail read on connect holds yesterday's failures) are history.
import {matchSignature, signature, type SignatureId} from '../../protocol/signatures.js';
import type {ConsoleAction} from './index.js';

export type Diagnosis = {id: SignatureId; from: 'child' | 'log' | 'connect'; at: number; text: string};

export type DiagnosisState = {
	current?: Diagnosis;
	/** When the gateway was last seen up (the child running, or a connect that succeeded). */
	upAt?: number;
};

export const initialDiagnosis: DiagnosisState = {};

function lineTime(time: string | undefined, fallback: number): number {
	const parsed = time === undefined ? Number.NaN : Date.parse(time);
	return Number.isFinite(parsed) ? parsed : fallback;
}

function isStart(id: SignatureId | undefined): boolean {
	return id !== undefined && signature(id).phase === 'start';
}

/** `now`: the state's clock, for lines that carry no time of their own. */
export function diagnosisReducer(state: DiagnosisState, action: ConsoleAction, now: number): DiagnosisState {
	switch (action.type) {
		case 'logs/append': {
			let {current} = state;
			for (const line of action.lines) {
				// The console's own lines repeat what the child said; other clients' refusals are not this console's.
				if (line.source === 'console') {
					continue;
				}

				const found = matchSignature(line.message);
				const at = lineTime(line.time, now);
				if (found?.phase === 'start' && (state.upAt === undefined || at > state.upAt)) {
					current = {id: found.id, from: line.source === 'file' ? 'log' : 'child', at, text: line.message};
				}
			}

			return current === state.current ? state : {...state, current};
		}

		case 'runtime/supervisor':
			if (action.state.status !== 'running') {
				return state;
			}

			return {upAt: action.at, current: isStart(state.current?.id) ? undefined : state.current};
		case 'connection/state': {
			if (action.status === 'connected') {
				return {upAt: action.at};
			}

			if (action.error === undefined) {
				return state;
			}

			const found = matchSignature(action.error, action.errorCode);
			if (found?.phase === 'connect') {
				return {...state, current: {id: found.id, from: 'connect', at: action.at, text: action.error}};
			}

			// The link fails for another reason now (the gateway went away): the refusal is no longer the news.
			return state.current?.from === 'connect' ? {...state, current: undefined} : state;
		}

		default:
			return state;
	}
}
