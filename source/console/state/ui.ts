// Screen-only state: which pane has focus, overlays (help, a confirm question, the filter prompt), a flash message
// and the terminal size the layout is computed from.
export const paneIds = ['runtime', 'channels', 'reload', 'logs'] as const;
export type PaneId = (typeof paneIds)[number];

export type ConfirmKind = 'restart' | 'stop' | 'quit' | 'forceStart';
export type Confirm = {kind: ConfirmKind; question: string; answer: 'no' | 'yes'};

export type Flash = {
	text: string;
	tone: 'ok' | 'warn' | 'error' | 'muted';
	at: number;
	/** It said the gateway is going away (its `shutdown` event): the next hello-ok ends it, as it is no longer true. */
	untilHello?: boolean;
};

export type UiState = {
	focus: PaneId;
	help: boolean;
	confirm?: Confirm;
	/** The `/` prompt while it is open: the text typed so far. */
	filterDraft?: string;
	flash?: Flash;
	size: {columns: number; rows: number};
	/** False for `console --once`: a printed snapshot, where no key can be pressed, names no key. */
	interactive: boolean;
};

export type UiAction =
	| {type: 'ui/focusNext'}
	| {type: 'ui/focusPrev'}
	| {type: 'ui/focus'; pane: PaneId}
	| {type: 'ui/toggleHelp'}
	| {type: 'ui/closeOverlay'}
	| {type: 'ui/confirm'; kind: ConfirmKind; question: string}
	| {type: 'ui/confirmAnswer'; answer: 'no' | 'yes'}
	| {type: 'ui/confirmClose'}
	| {type: 'ui/filterOpen'; draft: string}
	| {type: 'ui/filterDraft'; draft: string}
	| {type: 'ui/filterClose'}
	| {type: 'ui/flash'; text: string; tone: Flash['tone']; at: number; untilHello?: boolean}
	| {type: 'ui/resize'; columns: number; rows: number};

export function initialUi(size = {columns: 100, rows: 30}, interactive = true): UiState {
	return {focus: 'logs', help: false, size, interactive};
}

function step(focus: PaneId, by: number): PaneId {
	const index = paneIds.indexOf(focus);
	return paneIds[(index + by + paneIds.length) % paneIds.length];
}

export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'ui/focusNext':
			return {...state, focus: step(state.focus, 1)};
		case 'ui/focusPrev':
			return {...state, focus: step(state.focus, -1)};
		case 'ui/focus':
			return {...state, focus: action.pane};
		case 'ui/toggleHelp':
			return {...state, help: !state.help};
		case 'ui/closeOverlay':
			return {...state, help: false, confirm: undefined, filterDraft: undefined};
		case 'ui/confirm':
			// The safe answer is the default: Enter alone never restarts or stops anything.
			return {...state, help: false, confirm: {kind: action.kind, question: action.question, answer: 'no'}};
		case 'ui/confirmAnswer':
			return state.confirm ? {...state, confirm: {...state.confirm, answer: action.answer}} : state;
		case 'ui/confirmClose':
			return {...state, confirm: undefined};
		case 'ui/filterOpen':
			return {...state, filterDraft: action.draft};
		case 'ui/filterDraft':
			return {...state, filterDraft: action.draft};
		case 'ui/filterClose':
			return {...state, filterDraft: undefined};
		case 'ui/flash':
			return {...state, flash: {text: action.text, tone: action.tone, at: action.at, ...(action.untilHello ? {untilHello: true} : {})}};
		case 'ui/resize':
			return {...state, size: {columns: action.columns, rows: action.rows}};
		default:
			return state;
	}
}

/** The gateway said hello again: a flash that said it was going away ends now instead of running out its time. */
export function uiAfterHello(state: UiState): UiState {
	return state.flash?.untilHello ? {...state, flash: undefined} : state;
}
