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
	| 'logsClear';

export type Scope = 'global' | PaneId;

export type Binding = {
	command: CommandName;
	keys: KeySpec[];
	/** How the key is written in help and footer. */
	label: string;
	/** A word or two for the footer. */
	short: string;
	description: string;
	scope: Scope;
};

export const keymap: readonly Binding[] = [
	{command: 'help', keys: [{input: '?'}], label: '?', short: 'help', description: 'Show or hide this help', scope: 'global'},
	{command: 'focusNext', keys: [{key: 'tab'}], label: 'Tab', short: 'next pane', description: 'Focus the next pane', scope: 'global'},
	{command: 'focusPrev', keys: [{key: 'tab', shift: true}], label: 'Shift-Tab', short: 'prev pane', description: 'Focus the previous pane', scope: 'global'},
	{command: 'quit', keys: [{input: 'q'}, {input: 'c', ctrl: true}], label: 'q', short: 'quit', description: 'Quit (asks first when it would stop the gateway it started)', scope: 'global'},
	{command: 'restart', keys: [{input: 'R'}], label: 'R', short: 'restart', description: 'Restart the gateway (asks; default No)', scope: 'global'},
	{command: 'stopStart', keys: [{input: 'S'}], label: 'S', short: 'stop/start', description: 'Stop or start the local gateway (asks before stopping; on a busy port, asks to free it as --force does)', scope: 'global'},
	{command: 'probe', keys: [{input: 'p'}], label: 'p', short: 'probe', description: 'Probe now: RPC latency, status, channel probes', scope: 'global'},
	{command: 'reconnect', keys: [{input: 'r'}], label: 'r', short: 'reconnect', description: 'Reconnect now, with the credentials read again (after auth failed or a lost link)', scope: 'global'},
	{command: 'cycleReload', keys: [{input: 'm'}], label: 'm', short: 'reload mode', description: 'Cycle gateway.reload.mode through the modes the gateway allows (written with the base hash, read back)', scope: 'global'},
	{command: 'logsFollow', keys: [{input: 'f'}], label: 'f', short: 'follow', description: 'Follow new lines / pause', scope: 'logs'},
	{command: 'logsFilter', keys: [{input: '/'}], label: '/', short: 'filter', description: 'Filter lines (Enter applies, Esc clears)', scope: 'logs'},
	{command: 'logsLevel', keys: [{input: 'l'}], label: 'l', short: 'level', description: 'Minimum level: all, debug, info, warn, error', scope: 'logs'},
	{command: 'logsWrap', keys: [{input: 'w'}], label: 'w', short: 'wrap', description: 'Wrap long lines', scope: 'logs'},
	{command: 'logsTimestamps', keys: [{input: 't'}], label: 't', short: 'time', description: 'Show or hide timestamps', scope: 'logs'},
	{command: 'logsTop', keys: [{input: 'g'}, {key: 'home'}], label: 'g', short: 'top', description: 'Top: a page from the oldest line (pauses)', scope: 'logs'},
	{command: 'logsBottom', keys: [{input: 'G'}, {key: 'end'}], label: 'G', short: 'bottom', description: 'Bottom: the newest page (follows again)', scope: 'logs'},
	{command: 'logsPageUp', keys: [{key: 'pageUp'}, {input: 'u', ctrl: true}], label: 'PgUp', short: 'page up', description: 'Page up (pauses)', scope: 'logs'},
	{command: 'logsPageDown', keys: [{key: 'pageDown'}, {input: 'd', ctrl: true}], label: 'PgDn', short: 'page down', description: 'Page down (follows at the bottom)', scope: 'logs'},
	{command: 'logsLineUp', keys: [{key: 'upArrow'}, {input: 'k'}], label: 'k/Up', short: 'up', description: 'One line up', scope: 'logs'},
	{command: 'logsLineDown', keys: [{key: 'downArrow'}, {input: 'j'}], label: 'j/Down', short: 'down', description: 'One line down', scope: 'logs'},
	{command: 'logsClear', keys: [{input: 'c'}], label: 'c', short: 'clear', description: 'Clear the view (not the log file)', scope: 'logs'},
];

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
export function matchBinding(input: string, key: KeyEvent, focus: PaneId, bindings: readonly Binding[] = keymap): Binding | undefined {
	const candidates = bindings.filter((binding) => binding.scope === focus || binding.scope === 'global');
	candidates.sort((a, b) => Number(a.scope === 'global') - Number(b.scope === 'global'));
	return candidates.find((binding) => binding.keys.some((spec) => specMatches(spec, input, key)));
}

/** Footer hints: the focused pane's keys first, then the global ones. */
export function footerBindings(focus: PaneId, bindings: readonly Binding[] = keymap): Binding[] {
	// `?` first: it is how everything else is found.
	const help = bindings.filter((binding) => binding.command === 'help');
	const local = bindings.filter((binding) => binding.scope === focus);
	const global = bindings.filter((binding) => binding.scope === 'global' && binding.command !== 'focusPrev' && binding.command !== 'help');
	return [...help, ...local, ...global];
}

export const scopeTitles: Record<Scope, string> = {global: 'Everywhere', runtime: 'Runtime', channels: 'Channels', reload: 'Reload', logs: 'Logs'};

/** Help sections, the focused pane's first (k9s users asked for context-specific help). */
export function helpSections(focus: PaneId, bindings: readonly Binding[] = keymap): Array<{title: string; bindings: Binding[]}> {
	const scopes: Scope[] = [focus, 'global', ...(['runtime', 'channels', 'reload', 'logs'] as const).filter((scope) => scope !== focus)];
	return scopes
		.map((scope) => ({title: scopeTitles[scope], bindings: bindings.filter((binding) => binding.scope === scope)}))
		.filter((section) => section.bindings.length > 0);
}

function allLabels(binding: Binding): string {
	const names: Record<KeyName, string> = {
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
	return binding.keys
		.map((spec) => (spec.key ? `${spec.shift ? 'Shift-' : ''}${names[spec.key]}` : spec.ctrl ? `Ctrl-${spec.input!.toUpperCase()}` : spec.input!))
		.map((label) => `\`${label === '`' ? '\\`' : label}\``)
		.join(' ');
}

/** The README's keys table, generated from the same table. */
export function keysMarkdown(bindings: readonly Binding[] = keymap): string {
	const rows = bindings.map((binding) => `| ${allLabels(binding)} | ${scopeTitles[binding.scope]} | ${binding.description} |`);
	return ['| Key | Where | Action |', '| --- | --- | --- |', ...rows].join('\n');
}
