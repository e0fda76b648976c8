// The Fleet view's state: the rows as the prober reports them (in fleet order), how they are sorted and filtered,
// which one is selected (by name, so it stays on its gateway while rows move), the overlays (help, a confirm
// question, the `/` prompt, the add form, a flash) and the collisions doctor --all finds among this host's profiles.
// Pure; the rows keep their identity, so an unchanged row is never redrawn.
import type {EntryKind, EntryOrigin} from '../../fleet/entry.js';
import {stateText, type FleetRow} from '../../fleet/row.js';
import {sameCollisions, type FleetCollision} from './fleet-audit.js';
import {emptyForm, fleetFormReducer, type FleetForm, type FormAction} from './fleet-form.js';
import type {Flash} from './ui.js';

export const fleetSorts = ['name', 'state', 'latency'] as const;
export type FleetSort = (typeof fleetSorts)[number];

export type FleetConfirmKind = 'restart' | 'stop' | 'remove' | 'quit';
export type FleetConfirm = {kind: FleetConfirmKind; name: string; question: string; answer: 'no' | 'yes'};

export type FleetViewState = {
	rows: readonly FleetRow[];
	/** Each gateway's kind of entry (S acts on local profiles only). */
	kinds: Readonly<Record<string, EntryKind>>;
	/** Where each entry comes from (x removes only those added from the console, and says where the others are). */
	origins: Readonly<Record<string, EntryOrigin>>;
	sort: FleetSort;
	filter: string;
	/** The `/` prompt while it is open. */
	filterDraft?: string;
	/** The selected gateway's name. */
	selected?: string;
	confirm?: FleetConfirm;
	/** The "add gateway" form while it is open (`a`). */
	form?: FleetForm;
	flash?: Flash;
	help: boolean;
	size: {columns: number; rows: number};
	/** What `openclaw doctor --all` finds among this host's profiles (shared port, config, state dir, workspace). */
	collisions: readonly FleetCollision[];
};

export type FleetViewAction =
	| {type: 'fleet/row'; row: FleetRow}
	/** Several rows at once (a batch from the paced store). */
	| {type: 'fleet/rows'; rows: readonly FleetRow[]}
	| {type: 'fleet/cycleSort'}
	| {type: 'fleet/move'; delta: number}
	| {type: 'fleet/select'; name: string}
	| {type: 'fleet/filterOpen'}
	| {type: 'fleet/filterDraft'; draft: string}
	| {type: 'fleet/filterApply'}
	| {type: 'fleet/filterClear'}
	| {type: 'fleet/confirm'; kind: FleetConfirmKind; name: string; question: string}
	| {type: 'fleet/confirmAnswer'; answer: 'no' | 'yes'}
	| {type: 'fleet/confirmClose'}
	| {type: 'fleet/formOpen'}
	| {type: 'fleet/form'; action: FormAction}
	| {type: 'fleet/formClose'}
	| {type: 'fleet/added'; row: FleetRow; kind: EntryKind; origin: EntryOrigin}
	| {type: 'fleet/removed'; name: string}
	| {type: 'fleet/flash'; text: string; tone: Flash['tone']; at: number}
	| {type: 'fleet/flashClear'}
	| {type: 'fleet/toggleHelp'}
	| {type: 'fleet/audit'; collisions: readonly FleetCollision[]}
	| {type: 'fleet/resize'; columns: number; rows: number};

export function initialFleetView(
	rows: readonly FleetRow[],
	kinds: Readonly<Record<string, EntryKind>> = {},
	size = {columns: 120, rows: 30},
	origins: Readonly<Record<string, EntryOrigin>> = {},
): FleetViewState {
	return {rows, kinds, origins, sort: 'name', filter: '', selected: rows[0]?.name, help: false, size, collisions: []};
}

function without<T>(record: Readonly<Record<string, T>>, name: string): Record<string, T> {
	const {[name]: _dropped, ...rest} = record;
	return rest;
}

/** Worst first: what needs the operator is at the top. */
const stateOrder: Record<FleetRow['state'], number> = {'auth-failed': 0, unreachable: 1, restarting: 2, connecting: 3, running: 4};

function byName(a: FleetRow, b: FleetRow): number {
	return a.name.localeCompare(b.name);
}

const comparators: Record<FleetSort, (a: FleetRow, b: FleetRow) => number> = {
	name: byName,
	state: (a, b) => stateOrder[a.state] - stateOrder[b.state] || byName(a, b),
	// Slowest first (k9s sorts a column descending on the second press; one press here, the one an operator wants).
	latency: (a, b) => (b.latencyMs ?? -1) - (a.latencyMs ?? -1) || byName(a, b),
};

export function matchesFilter(row: FleetRow, filter: string): boolean {
	if (!filter) {
		return true;
	}

	const needle = filter.toLowerCase();
	return [row.name, row.where, stateText(row), row.version ?? '', row.reloadMode ?? ''].some((text) => text.toLowerCase().includes(needle));
}

/** The rows shown: filtered, then sorted. */
export function visibleRows(rows: readonly FleetRow[], sort: FleetSort, filter: string): FleetRow[] {
	return rows.filter((row) => matchesFilter(row, filter)).sort(comparators[sort]);
}

/** The selected row among those shown: the selected name, or the first shown when that one is filtered out. */
export function selectedIndex(visible: readonly FleetRow[], selected: string | undefined): number {
	if (visible.length === 0) {
		return -1;
	}

	const index = visible.findIndex((row) => row.name === selected);
	return index === -1 ? 0 : index;
}

export function selectedRow(state: FleetViewState): FleetRow | undefined {
	const visible = visibleRows(state.rows, state.sort, state.filter);
	return visible[selectedIndex(visible, state.selected)];
}

/** The first row of the window that keeps the selected row in view (`height` rows shown). */
export function windowStart(count: number, selected: number, height: number): number {
	if (height <= 0 || count <= height) {
		return 0;
	}

	return Math.min(count - height, Math.max(0, selected - height + 1));
}

function withRow(rows: readonly FleetRow[], row: FleetRow): readonly FleetRow[] {
	const index = rows.findIndex((candidate) => candidate.name === row.name);
	if (index === -1) {
		return [...rows, row];
	}

	if (rows[index] === row) {
		return rows;
	}

	const next = [...rows];
	next[index] = row;
	return next;
}

export function fleetViewReducer(state: FleetViewState, action: FleetViewAction): FleetViewState {
	switch (action.type) {
		case 'fleet/row': {
			const rows = withRow(state.rows, action.row);
			return rows === state.rows ? state : {...state, rows, selected: state.selected ?? action.row.name};
		}

		case 'fleet/rows': {
			const rows = action.rows.reduce(withRow, state.rows);
			return rows === state.rows ? state : {...state, rows, selected: state.selected ?? action.rows[0]?.name};
		}

		case 'fleet/cycleSort':
			return {...state, sort: fleetSorts[(fleetSorts.indexOf(state.sort) + 1) % fleetSorts.length]};
		case 'fleet/move': {
			const visible = visibleRows(state.rows, state.sort, state.filter);
			if (visible.length === 0) {
				return state;
			}

			const index = Math.min(visible.length - 1, Math.max(0, selectedIndex(visible, state.selected) + action.delta));
			const name = visible[index].name;
			return name === state.selected ? state : {...state, selected: name};
		}

		case 'fleet/select':
			return {...state, selected: action.name};
		case 'fleet/filterOpen':
			return {...state, filterDraft: state.filter};
		case 'fleet/filterDraft':
			// The rows follow the prompt as it is typed (k9s): the filter applies at once.
			return {...state, filterDraft: action.draft, filter: action.draft};
		case 'fleet/filterApply':
			return {...state, filterDraft: undefined};
		case 'fleet/filterClear':
			return {...state, filterDraft: undefined, filter: ''};
		case 'fleet/confirm':
			return {...state, help: false, confirm: {kind: action.kind, name: action.name, question: action.question, answer: 'no'}};
		case 'fleet/confirmAnswer':
			return state.confirm ? {...state, confirm: {...state.confirm, answer: action.answer}} : state;
		case 'fleet/confirmClose':
			return {...state, confirm: undefined};
		case 'fleet/formOpen':
			return {...state, help: false, form: emptyForm};
		case 'fleet/form': {
			if (!state.form) {
				return state;
			}

			const form = fleetFormReducer(state.form, action.action);
			return form === state.form ? state : {...state, form};
		}

		case 'fleet/formClose':
			return state.form ? {...state, form: undefined} : state;
		case 'fleet/added':
			// The new row is selected, and shown even if the filter would hide it: the operator just asked for it.
			return {
				...state,
				rows: withRow(state.rows, action.row),
				kinds: {...state.kinds, [action.row.name]: action.kind},
				origins: {...state.origins, [action.row.name]: action.origin},
				selected: action.row.name,
				filter: matchesFilter(action.row, state.filter) ? state.filter : '',
			};
		case 'fleet/removed': {
			if (!state.rows.some((row) => row.name === action.name)) {
				return state;
			}

			// The selection moves to the row that took the removed one's place (or the one above, at the end).
			const visible = visibleRows(state.rows, state.sort, state.filter);
			const index = visible.findIndex((row) => row.name === action.name);
			const rest = visible.filter((row) => row.name !== action.name);
			const selected = state.selected === action.name ? rest[Math.min(Math.max(index, 0), rest.length - 1)]?.name : state.selected;
			return {
				...state,
				rows: state.rows.filter((row) => row.name !== action.name),
				kinds: without(state.kinds, action.name),
				origins: without(state.origins, action.name),
				selected,
				confirm: state.confirm?.name === action.name ? undefined : state.confirm,
			};
		}

		case 'fleet/flash':
			return {...state, flash: {text: action.text, tone: action.tone, at: action.at}};
		case 'fleet/flashClear':
			return state.flash ? {...state, flash: undefined} : state;
		case 'fleet/toggleHelp':
			return {...state, help: !state.help};
		case 'fleet/audit':
			return sameCollisions(state.collisions, action.collisions) ? state : {...state, collisions: action.collisions};
		case 'fleet/resize':
			return state.size.columns === action.columns && state.size.rows === action.rows ? state : {...state, size: {columns: action.columns, rows: action.rows}};
		default:
			return state;
	}
}

/** The header's count: `3 running · 1 unreachable`, its tone the worst state's. */
export function fleetSummary(rows: readonly FleetRow[]): {text: string; tone: 'ok' | 'warn' | 'error' | 'muted'} {
	if (rows.length === 0) {
		return {text: 'no gateways', tone: 'warn'};
	}

	const counts = new Map<string, number>();
	for (const row of [...rows].sort((a, b) => stateOrder[a.state] - stateOrder[b.state])) {
		const word = row.state === 'auth-failed' ? 'auth failed' : row.state;
		counts.set(word, (counts.get(word) ?? 0) + 1);
	}

	const text = [...counts].map(([word, count]) => `${count} ${word}`).join(' · ');
	const tone = rows.some((row) => row.state === 'unreachable' || row.state === 'auth-failed') ? 'error' : rows.every((row) => row.state === 'running') ? 'ok' : 'warn';
	return {text, tone};
}
