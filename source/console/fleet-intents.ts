// What a key does in the Fleet view, given its state: screen-only changes become reducer actions; acting on a gateway
// (open its panes, restart, stop/start, probe, reload mode) becomes an effect on the selected one for the fleet
// controller. Destructive keys ask first with No as the default, as in the gateway's own panes. While the add form is
// open it has the keys; Enter hands the form to the controller, which checks it (formEntry) and saves it. Pure.
import type {EntryKind, EntryOrigin} from '../fleet/entry.js';
import type {FleetRow} from '../fleet/row.js';
import {matchBinding, type CommandName} from './keymap.js';
import {confirmKey, type KeyPress} from './intents.js';
import type {FleetForm} from './state/fleet-form.js';
import {selectedRow, type FleetConfirmKind, type FleetViewAction, type FleetViewState} from './state/fleet.js';

export type FleetEffect =
	| {kind: 'open' | 'restart' | 'stop' | 'start' | 'probe' | 'cycleReload' | 'remove'; name: string}
	| {kind: 'add'; form: FleetForm}
	| {kind: 'quit'};

export type FleetIntent = {actions: FleetViewAction[]; effect?: FleetEffect};

function flash(text: string, tone: 'ok' | 'warn' | 'error' | 'muted' = 'warn'): FleetIntent {
	return {actions: [{type: 'fleet/flash', text, tone, at: Date.now()}]};
}

function ask(kind: FleetConfirmKind, row: FleetRow, question: string): FleetIntent {
	return {actions: [{type: 'fleet/confirm', kind, name: row.name, question}]};
}

/** S acts on this host's profiles only: those are the gateways the console can start (as `openclaw gateway start`). */
function stopStart(state: FleetViewState, row: FleetRow, kind: EntryKind | undefined): FleetIntent {
	if (kind !== 'profile') {
		return flash(`S starts and stops this host's profiles; ${row.name} is at ${row.where}, where this console cannot start it: R restarts it while it runs`);
	}

	if (row.state === 'running' || row.state === 'restarting') {
		return ask('stop', row, `Stop gateway ${row.name} (${row.where})?`);
	}

	return {actions: [], effect: {kind: 'start', name: row.name}};
}

/** x removes what a was used to add; anything else is removed where it was written, which the flash names. */
function remove(row: FleetRow, origin: EntryOrigin | undefined): FleetIntent {
	switch (origin?.source) {
		case 'console':
			return ask('remove', row, `Remove gateway ${row.name} (${row.where}) from the console's store?`);
		case 'file':
			return flash(`x removes gateways added with a; ${row.name} comes from the fleet file ${origin.path ?? ''}: remove it there`);
		case 'profile':
			return flash(`x removes gateways added with a; ${row.name} is this host's ${row.where} (found by its state dir): hide all profiles with profiles: false in the fleet file`);
		default:
			return flash(`x removes gateways added with a; where ${row.name} comes from is not known`);
	}
}

export function fleetIntentFor(command: CommandName, state: FleetViewState): FleetIntent {
	const row = selectedRow(state);
	const needsRow = ['fleetOpen', 'restart', 'stopStart', 'probe', 'cycleReload', 'fleetRemove'].includes(command);
	if (needsRow && !row) {
		return flash(state.rows.length === 0 ? 'no gateways in the fleet' : 'no row matches the filter (Esc clears it)');
	}

	switch (command) {
		case 'help':
			return {actions: [{type: 'fleet/toggleHelp'}]};
		case 'quit':
			return {actions: [], effect: {kind: 'quit'}};
		case 'fleetOpen':
			return {actions: [], effect: {kind: 'open', name: row!.name}};
		case 'restart':
			if (row!.state === 'running') {
				return ask('restart', row!, `Restart gateway ${row!.name} (${row!.where})?`);
			}

			return flash(row!.state === 'restarting' ? `${row!.name}: a restart is already under way` : `${row!.name} is ${row!.state}: nothing answers to restart`);
		case 'stopStart':
			return stopStart(state, row!, state.kinds[row!.name]);
		case 'probe':
			return {actions: [], effect: {kind: 'probe', name: row!.name}};
		case 'cycleReload':
			return row!.state === 'running' ? {actions: [], effect: {kind: 'cycleReload', name: row!.name}} : flash(`${row!.name} is ${row!.state}: cannot change its reload mode`);
		case 'fleetAdd':
			return {actions: [{type: 'fleet/formOpen'}]};
		case 'fleetRemove':
			return remove(row!, state.origins[row!.name]);
		case 'fleetSort':
			return {actions: [{type: 'fleet/cycleSort'}]};
		case 'fleetFilter':
			return {actions: [{type: 'fleet/filterOpen'}]};
		case 'fleetUp':
			return {actions: [{type: 'fleet/move', delta: -1}]};
		case 'fleetDown':
			return {actions: [{type: 'fleet/move', delta: 1}]};
		case 'fleetTop':
			return {actions: [{type: 'fleet/move', delta: -Infinity}]};
		case 'fleetBottom':
			return {actions: [{type: 'fleet/move', delta: Infinity}]};
		default:
			return {actions: []};
	}
}

/** The add form's keys: Tab/Shift-Tab between fields, Left/Right/Space pick the credential kind, Enter, Esc. */
function routeFormKey(form: FleetForm, {input, key}: KeyPress): FleetIntent {
	const edit = (action: Extract<FleetViewAction, {type: 'fleet/form'}>['action']): FleetIntent => ({actions: [{type: 'fleet/form', action}]});
	if (key.escape) {
		return {actions: [{type: 'fleet/formClose'}]};
	}

	if (key.return) {
		return {actions: [], effect: {kind: 'add', form}};
	}

	if (key.tab || key.downArrow || key.upArrow) {
		return edit({type: 'form/focus', delta: (key.tab && key.shift) || key.upArrow ? -1 : 1});
	}

	if (form.focus === 'auth' && (key.leftArrow || key.rightArrow || input === ' ')) {
		return edit({type: 'form/auth', delta: key.leftArrow ? -1 : 1});
	}

	if (key.backspace || key.delete) {
		return edit({type: 'form/erase'});
	}

	if (input && !key.ctrl && !key.meta) {
		return edit({type: 'form/type', text: input});
	}

	return {actions: []};
}

/** Who handles a key, in priority order: a confirm question, the add form, the filter prompt, the help overlay, then the keymap. */
export function routeFleetKey(state: FleetViewState, press: KeyPress): FleetIntent {
	const {input, key} = press;
	if (state.confirm) {
		const {confirm} = state;
		const close: FleetViewAction = {type: 'fleet/confirmClose'};
		switch (confirmKey(press, confirm.answer)) {
			case 'yes':
				return {actions: [close], effect: confirm.kind === 'quit' ? {kind: 'quit'} : {kind: confirm.kind, name: confirm.name}};
			case 'no':
				return {actions: [close]};
			case 'toggle':
				return {actions: [{type: 'fleet/confirmAnswer', answer: confirm.answer === 'yes' ? 'no' : 'yes'}]};
			case undefined:
				return {actions: []};
		}
	}

	if (input === 'c' && key.ctrl) {
		return {actions: [], effect: {kind: 'quit'}};
	}

	if (state.form) {
		return routeFormKey(state.form, press);
	}

	if (state.filterDraft !== undefined) {
		const draft = state.filterDraft;
		if (key.return) {
			return {actions: [{type: 'fleet/filterApply'}]};
		}

		if (key.escape) {
			return {actions: [{type: 'fleet/filterClear'}]};
		}

		if (key.backspace || key.delete) {
			return {actions: [{type: 'fleet/filterDraft', draft: draft.slice(0, -1)}]};
		}

		if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) {
			return {actions: [{type: 'fleet/filterDraft', draft: draft + input}]};
		}

		return {actions: []};
	}

	if (state.help) {
		return input === '?' || key.escape || input === 'q' ? {actions: [{type: 'fleet/toggleHelp'}]} : {actions: []};
	}

	// Esc with a filter on clears it (k9s); with none, the Fleet view is already the top.
	if (key.escape) {
		return state.filter ? {actions: [{type: 'fleet/filterClear'}]} : {actions: []};
	}

	const binding = matchBinding(input, key, 'fleet');
	return binding ? fleetIntentFor(binding.command, state) : {actions: []};
}
