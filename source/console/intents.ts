// What a command from the keymap does, given the state: screen-only changes become reducer actions; effects on the
// gateway (restart, stop, probe, reload mode, quit) become requests for the controller. Pure, so it is tested alone.
import {matchBinding, type CommandName, type KeyEvent} from './keymap.js';
import {computeLayout} from './layout.js';
import type {ConsoleAction, ConsoleState} from './state/index.js';

/** `back`: Esc, back to the Fleet view (a console not opened from one has nowhere to go back to and ignores it). */
export type Effect = 'restart' | 'stop' | 'start' | 'forceStart' | 'probe' | 'reconnect' | 'cycleReload' | 'saveLogs' | 'quit' | 'back';

export type Intent = {actions: ConsoleAction[]; effect?: Effect};

/** Does quitting stop a gateway this console started? Then it asks first. */
export function quitStopsChild(state: ConsoleState): boolean {
	const sup = state.runtime.supervisor;
	return state.runtime.mode === 'local' && sup !== undefined && sup.status !== 'stopped' && sup.status !== 'failed';
}

export function intentFor(command: CommandName, state: ConsoleState): Intent {
	const layout = computeLayout(state.ui.size);
	const page = Math.max(1, layout.logRows - 1);
	// Scrolling counts rows, and a wrapped line's rows depend on the pane's width.
	const view = {height: layout.logRows, width: layout.logColumns};
	switch (command) {
		case 'help':
			return {actions: [{type: 'ui/toggleHelp'}]};
		case 'focusNext':
			return {actions: [{type: 'ui/focusNext'}]};
		case 'focusPrev':
			return {actions: [{type: 'ui/focusPrev'}]};
		case 'quit':
			return quitStopsChild(state)
				? {actions: [{type: 'ui/confirm', kind: 'quit', question: 'Quit and stop the gateway this console started?'}]}
				: {actions: [], effect: 'quit'};
		case 'restart': {
			const where = state.runtime.mode === 'local' ? 'the local gateway (new process)' : 'the attached gateway';
			return {actions: [{type: 'ui/confirm', kind: 'restart', question: `Restart ${where}?`}]};
		}

		case 'stopStart': {
			if (state.runtime.mode !== 'local') {
				return {actions: [{type: 'ui/flash', text: 'S works on a gateway this console started; attached gateways restart with R', tone: 'warn', at: state.now}]};
			}

			const status = state.runtime.supervisor?.status;
			// The busy-port signature's fix, applied by its key: free the port as `gateway --force` does. It stops
			// whatever listens there, so it asks, with No as the answer Enter gives.
			if (state.diagnosis.current?.id === 'port-in-use' && status !== 'running' && status !== 'stopping') {
				const port = state.runtime.supervisor?.port;
				return {
					actions: [
						{type: 'ui/confirm', kind: 'forceStart', question: `Port ${port ?? '?'} is taken: stop what listens on it (as gateway --force does) and start?`},
					],
				};
			}

			return status === 'stopped' || status === 'failed' || status === undefined
				? {actions: [], effect: 'start'}
				: {actions: [{type: 'ui/confirm', kind: 'stop', question: 'Stop the local gateway?'}]};
		}

		case 'probe':
			return {actions: [], effect: 'probe'};
		case 'reconnect':
			return {actions: [], effect: 'reconnect'};
		case 'cycleReload':
			return {actions: [], effect: 'cycleReload'};
		case 'logsFollow':
			return {actions: [{type: 'logs/toggleFollow'}]};
		case 'logsFilter':
			return {actions: [{type: 'ui/filterOpen', draft: state.logs.filter}]};
		case 'logsLevel':
			return {actions: [{type: 'logs/cycleLevel'}]};
		case 'logsWrap':
			return {actions: [{type: 'logs/toggleWrap'}]};
		case 'logsTimestamps':
			return {actions: [{type: 'logs/toggleTimestamps'}]};
		case 'logsTop':
			return {actions: [{type: 'logs/top', view}]};
		case 'logsBottom':
			return {actions: [{type: 'logs/bottom'}]};
		case 'logsPageUp':
			return {actions: [{type: 'logs/scroll', delta: -page, view}]};
		case 'logsPageDown':
			return {actions: [{type: 'logs/scroll', delta: page, view}]};
		case 'logsLineUp':
			return {actions: [{type: 'logs/scroll', delta: -1, view}]};
		case 'logsLineDown':
			return {actions: [{type: 'logs/scroll', delta: 1, view}]};
		case 'logsClear':
			return {actions: [{type: 'logs/clear'}]};
		case 'logsSave':
			return {actions: [], effect: 'saveLogs'};
		case 'fleetBack':
			return {actions: [], effect: 'back'};
		default:
			return {actions: []};
	}
}

/** The effect a confirmed question runs. */
export function effectForConfirm(kind: 'restart' | 'stop' | 'quit' | 'forceStart'): Effect {
	return kind;
}

export type KeyPress = {input: string; key: KeyEvent};

/**
 * What a key means to a yes/no question (default answer `current`), the same in every view: y or Enter on yes says
 * yes; n, Esc, Enter on no and Ctrl-C say no; the arrows and Tab move between the two; anything else is ignored.
 */
export function confirmKey({input, key}: KeyPress, current: 'yes' | 'no'): 'yes' | 'no' | 'toggle' | undefined {
	if (input === 'y' || input === 'Y' || (key.return && current === 'yes')) {
		return 'yes';
	}

	if (input === 'n' || input === 'N' || key.escape || key.return || (input === 'c' && key.ctrl)) {
		return 'no';
	}

	return key.leftArrow || key.rightArrow || key.tab ? 'toggle' : undefined;
}

/**
 * Who handles a key, in priority order: Ctrl-C always quits; an open confirm question takes y/n/Enter/Esc; the
 * filter prompt takes text; the help overlay closes on ? or Esc; otherwise the keymap, for the focused pane.
 */
export function routeKey(state: ConsoleState, {input, key}: KeyPress): Intent {
	const {ui} = state;
	if (ui.confirm) {
		const {confirm} = ui;
		const close: ConsoleAction = {type: 'ui/confirmClose'};
		// Ctrl-C on "quit?" is a yes: the operator wants out either way.
		const answer = input === 'c' && key.ctrl && confirm.kind === 'quit' ? 'yes' : confirmKey({input, key}, confirm.answer);
		switch (answer) {
			case 'yes':
				return {actions: [close], effect: effectForConfirm(confirm.kind)};
			case 'no':
				return {actions: [close]};
			case 'toggle':
				return {actions: [{type: 'ui/confirmAnswer', answer: confirm.answer === 'yes' ? 'no' : 'yes'}]};
			case undefined:
				return {actions: []};
		}
	}

	if (input === 'c' && key.ctrl) {
		return intentFor('quit', state);
	}

	if (ui.filterDraft !== undefined) {
		const draft = ui.filterDraft;
		if (key.return) {
			return {actions: [{type: 'logs/setFilter', filter: draft}, {type: 'ui/filterClose'}]};
		}

		if (key.escape) {
			return {actions: [{type: 'logs/setFilter', filter: ''}, {type: 'ui/filterClose'}]};
		}

		if (key.backspace || key.delete) {
			return {actions: [{type: 'ui/filterDraft', draft: draft.slice(0, -1)}]};
		}

		if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) {
			return {actions: [{type: 'ui/filterDraft', draft: draft + input}]};
		}

		return {actions: []};
	}

	if (ui.help) {
		if (input === '?' || key.escape || input === 'q') {
			return {actions: [{type: 'ui/toggleHelp'}]};
		}

		return {actions: []};
	}

	const binding = matchBinding(input, key, ui.focus);
	return binding ? intentFor(binding.command, state) : {actions: []};
}
