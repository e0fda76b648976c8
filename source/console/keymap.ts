// Keybindings are data: this one table drives input handling, the `?` help overlay, the footer and the README's
// keys table. Single letters act where the table says (global or one pane), as in k9s and lazydocker.
import type {PaneId} from './state/ui.js';

export type KeyName = 'tab' | 'escape' | 'return' | 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'home' | 'end';

export type KeySpec = {input?: string; key?: KeyName; shift?: boolean; ctrl?: boolean};

export type CommandName =
	| 'help'
	| 'focusNext'
	| 'focusPrev'
	| 'quit'
	| 'restart'
	| 'stopStart'
	| 'probe'
	| 'reconnect'
	| 'cycleReload'
	| 'logsFollow'
	| 'logsFilter'
	| 'logsLevel'
	| 'logsWrap'
	| 'logsTimestamps'
	| 'logsTop'
	| 'logsBottom'
	| 'logsPageUp'
	| 'logsPageDown'
	| 'logsLineUp'
	| 'logsLineDown'
	| 'logsSave'
	| 'logsClear'
	| 'fleetBack'
	| 'fleetOpen'
	| 'fleetSort'
	| 'fleetFilter'
	| 'fleetUp'
	| 'fleetDown'
	| 'fleetTop'
	| 'fleetBottom'
	| 'fleetAdd'
	| 'fleetRemove';

/** What has the keys: one of a gateway's panes, or the Fleet view (`openclaw console --fleet`). */
export type View = PaneId | 'fleet';

export type Scope = 'global' | View;

export type Binding = {
	command: CommandName;
	/** The first is the key's main spelling (see keyLabel); the others are aliases. */
	keys: KeySpec[];
	/** A word or two for the footer. */
	short: string;
	description: string;
	/** What the key does in the Fleet view, when that differs: the help there and the README's table add it. */
	inFleet?: string;
	scope: Scope;
};

export const keymap: readonly Binding[] = [
	{command: 'help', keys: [{input: '?'}], short: 'help', description: 'Show or hide this help', scope: 'global'},
	{command: 'focusNext', keys: [{key: 'tab'}], short: 'next pane', description: 'Focus the next pane', scope: 'global'},
	{command: 'focusPrev', keys: [{key: 'tab', shift: true}], short: 'prev pane', description: 'Focus the previous pane', scope: 'global'},
	{command: 'quit', keys: [{input: 'q'}, {input: 'c', ctrl: true}], short: 'quit', description: 'Quit (asks first when it would stop the gateway it started)', inFleet: 'from a gateway opened in the Fleet view, the whole console', scope: 'global'},
	{command: 'restart', keys: [{input: 'R'}], short: 'restart', description: 'Restart the gateway (asks; default No)', inFleet: 'in the Fleet view, the selected one', scope: 'global'},
	{command: 'stopStart', keys: [{input: 'S'}], short: 'stop/start', description: 'Stop or start the local gateway (asks before stopping; on a busy port, asks to free it as --force does)', inFleet: "in the Fleet view, the selected profile's service", scope: 'global'},
	{command: 'probe', keys: [{input: 'p'}], short: 'probe', description: 'Probe now: RPC latency, status, channel probes', inFleet: 'in the Fleet view, the selected gateway', scope: 'global'},
	{command: 'reconnect', keys: [{input: 'r'}], short: 'reconnect', description: 'Reconnect now, with the credentials read again (after auth failed or a lost link); over --ssh, opens a tunnel that is down first', scope: 'global'},
	{command: 'cycleReload', keys: [{input: 'm'}], short: 'reload mode', description: 'Cycle gateway.reload.mode through the modes the gateway allows (written with the base hash, read back)', inFleet: 'in the Fleet view, on the selected gateway', scope: 'global'},
	{command: 'fleetBack', keys: [{key: 'escape'}], short: 'fleet', description: 'Back to the Fleet view, when this gateway was opened from it (its connection is closed)', scope: 'global'},
	{command: 'logsFollow', keys: [{input: 'f'}], short: 'follow', description: 'Follow new lines / pause', scope: 'logs'},
	{command: 'logsFilter', keys: [{input: '/'}], short: 'filter', description: 'Filter lines (Enter applies, Esc clears)', scope: 'logs'},
	{command: 'logsLevel', keys: [{input: 'l'}], short: 'level', description: 'Minimum level: all, debug, info, warn, error', scope: 'logs'},
	{command: 'logsWrap', keys: [{input: 'w'}], short: 'wrap', description: 'Wrap long lines', scope: 'logs'},
	{command: 'logsTimestamps', keys: [{input: 't'}], short: 'time', description: 'Show or hide timestamps', scope: 'logs'},
	{command: 'logsTop', keys: [{input: 'g'}, {key: 'home'}], short: 'top', description: 'Top: a page from the oldest line (pauses)', scope: 'logs'},
	{command: 'logsBottom', keys: [{input: 'G'}, {key: 'end'}], short: 'bottom', description: 'Bottom: the newest page (follows again)', scope: 'logs'},
	{command: 'logsPageUp', keys: [{key: 'pageUp'}, {input: 'u', ctrl: true}], short: 'page up', description: 'Page up (pauses)', scope: 'logs'},
	{command: 'logsPageDown', keys: [{key: 'pageDown'}, {input: 'd', ctrl: true}], short: 'page down', description: 'Page down (follows at the bottom)', scope: 'logs'},
	{command: 'logsLineUp', keys: [{key: 'upArrow'}, {input: 'k'}], short: 'up', description: 'One line up', scope: 'logs'},
	{command: 'logsLineDown', keys: [{key: 'downArrow'}, {input: 'j'}], short: 'down', description: 'One line down', scope: 'logs'},
	{
		command: 'logsSave',
		keys: [{input: 's', ctrl: true}],
		short: 'save',
		description: 'Save the lines the view holds (after its filter and level) to a file, with full times; the flash names it',
		scope: 'logs',
	},
	{command: 'logsClear', keys: [{input: 'c'}], short: 'clear', description: 'Clear the view (not the log file)', scope: 'logs'},
	{command: 'fleetOpen', keys: [{key: 'return'}], short: 'open', description: "Open the selected gateway's four panes (Esc comes back)", scope: 'fleet'},
	{command: 'fleetSort', keys: [{input: 's'}], short: 'sort', description: 'Sort by name, by state (worst first), by probe latency (slowest first)', scope: 'fleet'},
	{command: 'fleetFilter', keys: [{input: '/'}], short: 'filter', description: 'Filter rows by name, where, state, version (Enter keeps, Esc clears)', scope: 'fleet'},
	{command: 'fleetUp', keys: [{key: 'upArrow'}, {input: 'k'}], short: 'up', description: 'Select the row above', scope: 'fleet'},
	{command: 'fleetDown', keys: [{key: 'downArrow'}, {input: 'j'}], short: 'down', description: 'Select the row below', scope: 'fleet'},
	{command: 'fleetTop', keys: [{input: 'g'}, {key: 'home'}], short: 'first', description: 'Select the first row', scope: 'fleet'},
	{command: 'fleetBottom', keys: [{input: 'G'}, {key: 'end'}], short: 'last', description: 'Select the last row', scope: 'fleet'},
	{
		command: 'fleetAdd',
		keys: [{input: 'a'}],
		short: 'add',
		description: "Add a gateway (name, ws:// URL or ssh user@host, a token, token file or password), kept in the console's store (mode 0600); Tab moves between fields, Enter saves, Esc cancels",
		scope: 'fleet',
	},
	{
		command: 'fleetRemove',
		keys: [{input: 'x'}],
		short: 'remove',
		description: 'Remove the selected gateway when it was added with a (asks; default No); for a profile or a fleet file entry, says where to remove it',
		scope: 'fleet',
	},
];

/** The global keys that also work in the Fleet view, where they act on the selected gateway. */
export const fleetGlobalCommands: readonly CommandName[] = ['help', 'quit', 'restart', 'stopStart', 'probe', 'cycleReload'];

function inView(binding: Binding, view: View): boolean {
	if (view === 'fleet') {
		return binding.scope === 'fleet' || (binding.scope === 'global' && fleetGlobalCommands.includes(binding.command));
	}

	return binding.scope === view || binding.scope === 'global';
}

/** The parts of Ink's `Key` the matcher reads. */
export type KeyEvent = Partial<Record<KeyName | 'shift' | 'ctrl' | 'meta' | 'leftArrow' | 'rightArrow' | 'backspace' | 'delete', boolean>>;

function specMatches(spec: KeySpec, input: string, key: KeyEvent): boolean {
	if (spec.key) {
		return key[spec.key] === true && (spec.shift ?? false) === (key.shift ?? false);
	}

	// Letters arrive with shift already applied ('R'), so only ctrl is compared for them.
	return spec.input === input && (spec.ctrl ?? false) === (key.ctrl ?? false);
}

/** The binding a key press triggers with `focus` focused; the focused pane's bindings win over global ones. */
export function matchBinding(input: string, key: KeyEvent, focus: View, bindings: readonly Binding[] = keymap): Binding | undefined {
	const candidates = bindings.filter((binding) => inView(binding, focus));
	candidates.sort((a, b) => Number(a.scope === 'global') - Number(b.scope === 'global'));
	return candidates.find((binding) => binding.keys.some((spec) => specMatches(spec, input, key)));
}

/** Footer hints: the focused pane's keys first, then the global ones. */
export function footerBindings(focus: View, bindings: readonly Binding[] = keymap): Binding[] {
	// `?` first: it is how everything else is found.
	const help = bindings.filter((binding) => binding.command === 'help');
	const local = bindings.filter((binding) => binding.scope === focus);
	const global = bindings.filter(
		(binding) => binding.scope === 'global' && inView(binding, focus) && binding.command !== 'focusPrev' && binding.command !== 'help' && binding.command !== 'fleetBack',
	);
	return [...help, ...local, ...global];
}

export const scopeTitles: Record<Scope, string> = {global: 'Everywhere', runtime: 'Runtime', channels: 'Channels', reload: 'Reload', logs: 'Logs', fleet: 'Fleet'};

/** Help sections, the focused pane's first (k9s users asked for context-specific help); the Fleet view's own. */
export function helpSections(focus: View, bindings: readonly Binding[] = keymap): Array<{title: string; bindings: Binding[]}> {
	const scopes: Scope[] = focus === 'fleet' ? ['fleet', 'global'] : [focus, 'global', ...(['runtime', 'channels', 'reload', 'logs'] as const).filter((scope) => scope !== focus)];
	return scopes
		.map((scope) => ({title: scopeTitles[scope], bindings: bindings.filter((binding) => binding.scope === scope && (focus !== 'fleet' || inView(binding, focus)))}))
		.filter((section) => section.bindings.length > 0);
}

/** A key's description as `view` needs it: a gateway's panes leave out what the key does in the Fleet view. */
export function helpText(binding: Binding, view: View): string {
	return view === 'fleet' && binding.inFleet ? `${binding.description}; ${binding.inFleet}` : binding.description;
}

/**
 * A help section in brief, for the overlay when every key in full would not fit two columns: the focused pane's keys
 * and the global ones stay whole, the other panes' shrink to their keys and short names, broken into rows of `width`.
 */
export function compactSectionRows(section: {bindings: readonly Binding[]}, width: number): string[] {
	const rows: string[] = [];
	let row = '';
	for (const binding of section.bindings) {
		const entry = `${keyLabel(binding.keys)} ${binding.short}`;
		if (row !== '' && row.length + 3 + entry.length > width) {
			rows.push(row);
			row = '';
		}

		row = row === '' ? entry : `${row} · ${entry}`;
	}

	return row === '' ? rows : [...rows, row];
}

const keyNames: Record<KeyName, string> = {
	tab: 'Tab',
	escape: 'Esc',
	return: 'Enter',
	upArrow: 'Up',
	downArrow: 'Down',
	pageUp: 'PgUp',
	pageDown: 'PgDn',
	home: 'Home',
	end: 'End',
};

/** How one key is written: `k`, `Ctrl-C`, `Shift-Tab`, `PgUp`. */
export function keyName(spec: KeySpec): string {
	if (spec.key) {
		return `${spec.shift ? 'Shift-' : ''}${keyNames[spec.key]}`;
	}

	return spec.ctrl ? `Ctrl-${spec.input!.toUpperCase()}` : spec.input!;
}

/**
 * How a binding is written in the footer and the help: its first key, and when that is a named key that a plain
 * letter also does, the letter first (`k/Up`: the letter is what vi users look for, the arrow what everyone else
 * does). Ctrl aliases and Home/End stay out of this short form; the README's table lists every key.
 */
export function keyLabel(keys: readonly KeySpec[]): string {
	const [first, ...aliases] = keys;
	if (!first) {
		return '';
	}

	const letter = first.key ? aliases.find((spec) => spec.input !== undefined && !spec.ctrl) : undefined;
	return letter ? `${keyName(letter)}/${keyName(first)}` : keyName(first);
}

function allLabels(binding: Binding): string {
	return binding.keys
		.map((spec) => keyName(spec))
		.map((label) => `\`${label === '`' ? '\\`' : label}\``)
		.join(' ');
}

/** The README's keys table, generated from the same table. */
export function keysMarkdown(bindings: readonly Binding[] = keymap): string {
	// The Fleet view's text is the whole one (what the key does in a gateway's panes, then in the Fleet view).
	const rows = bindings.map((binding) => `| ${allLabels(binding)} | ${scopeTitles[binding.scope]} | ${helpText(binding, 'fleet')} |`);
	return ['| Key | Where | Action |', '| --- | --- | --- |', ...rows].join('\n');
}
