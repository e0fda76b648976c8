// The Fleet view's pure parts: sorting, filtering, selection that stays on its gateway, the window, columns fitted
// to the width, the summary, what each key does (confirmations with No as the default, S only for profiles), and
// doctor --all's collisions among this host's profiles as the lines above the table.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {runAllChecks, type ProfileFacts} from '../source/commands/doctor-all-checks.js';
import {routeFleetKey} from '../source/console/fleet-intents.js';
import {collisionLines, fleetCollisions} from '../source/console/state/fleet-audit.js';
import {footerBindings, helpSections, keymap, keysMarkdown, matchBinding} from '../source/console/keymap.js';
import {cellWidth} from '../source/console/state/cell-width.js';
import {fitCell, fitColumns, fleetLine, rowCells} from '../source/console/state/fleet-columns.js';
import {fleetSummary, fleetViewReducer, initialFleetView, selectedRow, visibleRows, windowStart, type FleetViewAction, type FleetViewState} from '../source/console/state/fleet.js';
import {initialRow, reduceRow, type FleetRow} from '../source/fleet/row.js';

const at = new Date(2026, 0, 1, 14, 3).getTime();

function running(name: string, latencyMs: number, where = `profile ${name}`): FleetRow {
	return reduceRow(reduceRow(initialRow(name, where, at), {type: 'hello', version: '1.2.3', at}), {
		type: 'probe-ok',
		latencyMs,
		summary: {channels: {ready: 1, total: 2}, sessions: 3, reloadMode: 'hybrid'},
		at,
	});
}

function unreachable(name: string, where = `ws://127.0.0.1:1/${name}`): FleetRow {
	return reduceRow(initialRow(name, where, at), {type: 'unreachable', why: 'connection refused', at});
}

function authFailed(name: string): FleetRow {
	return reduceRow(initialRow(name, `ws://h/${name}`, at), {type: 'auth-failed', why: 'unauthorized: gateway token mismatch', at});
}

function fleet(rows: FleetRow[], kinds: Record<string, 'profile' | 'url' | 'ssh'> = {}): FleetViewState {
	return initialFleetView(rows, kinds, {columns: 120, rows: 30});
}

function reduce(state: FleetViewState, ...actions: FleetViewAction[]): FleetViewState {
	return actions.reduce(fleetViewReducer, state);
}

function press(state: FleetViewState, input: string, key: Record<string, boolean> = {}) {
	const intent = routeFleetKey(state, {input, key});
	return {intent, state: reduce(state, ...intent.actions)};
}

describe('Fleet view state', () => {
	const rows = [running('charlie', 9), unreachable('alpha'), running('bravo', 30), authFailed('delta')];

	test('sorts by name, then state (worst first), then latency (slowest first), and back', () => {
		let state = fleet(rows);
		const names = () => visibleRows(state.rows, state.sort, state.filter).map((row) => row.name);
		assert.deepEqual(names(), ['alpha', 'bravo', 'charlie', 'delta']);
		state = reduce(state, {type: 'fleet/cycleSort'});
		assert.equal(state.sort, 'state');
		assert.deepEqual(names(), ['delta', 'alpha', 'bravo', 'charlie']);
		state = reduce(state, {type: 'fleet/cycleSort'});
		assert.deepEqual(names(), ['bravo', 'charlie', 'alpha', 'delta']);
		assert.equal(reduce(state, {type: 'fleet/cycleSort'}).sort, 'name');
	});

	test('filters on name, where and state text, case-insensitively, as it is typed', () => {
		let state = fleet(rows);
		state = press(state, '/').state;
		for (const letter of 'UNREACH') {
			state = press(state, letter).state;
		}

		assert.deepEqual(visibleRows(state.rows, state.sort, state.filter).map((row) => row.name), ['alpha']);
		assert.equal(press(state, '', {return: true}).state.filterDraft, undefined);
		assert.equal(press(state, '', {return: true}).state.filter, 'UNREACH');
		const cleared = press(press(state, '', {return: true}).state, '', {escape: true}).state;
		assert.equal(cleared.filter, '');
		assert.equal(visibleRows(fleet(rows).rows, 'name', 'profile bravo')[0].name, 'bravo');
	});

	test('the selection is a name: it stays on its gateway when rows are re-sorted or change', () => {
		let state = fleet(rows);
		assert.equal(selectedRow(state)?.name, 'charlie', 'the first row of the fleet');
		state = press(state, 'j').state;
		assert.equal(selectedRow(state)?.name, 'delta');
		state = reduce(state, {type: 'fleet/cycleSort'});
		assert.equal(selectedRow(state)?.name, 'delta');
		state = reduce(state, {type: 'fleet/row', row: unreachable('delta')});
		assert.equal(selectedRow(state)?.name, 'delta');
		assert.equal(press(state, 'G').state.selected, 'charlie');
		assert.equal(press(state, 'g').state.selected, 'alpha');
		const top = press(state, 'g').state;
		assert.equal(press(top, 'k').state, top, 'no move above the first: same state');
	});

	test('a filtered-out selection falls back to the first row shown', () => {
		const state = reduce(fleet(rows), {type: 'fleet/select', name: 'delta'}, {type: 'fleet/filterOpen'}, {type: 'fleet/filterDraft', draft: 'brav'});
		assert.equal(selectedRow(state)?.name, 'bravo');
	});

	test('a row reported unchanged keeps the same state object (nothing redrawn)', () => {
		const state = fleet(rows);
		assert.equal(reduce(state, {type: 'fleet/row', row: rows[1]}), state);
		const moved = reduce(state, {type: 'fleet/row', row: reduceRow(rows[0], {type: 'probe-ok', latencyMs: 12, summary: {}, at: at + 1})});
		assert.notEqual(moved, state);
		assert.equal(moved.rows[1], state.rows[1], 'the other rows are the same objects');
	});

	test('the window keeps the selected row in view', () => {
		assert.equal(windowStart(10, 0, 4), 0);
		assert.equal(windowStart(10, 3, 4), 0);
		assert.equal(windowStart(10, 4, 4), 1);
		assert.equal(windowStart(10, 9, 4), 6);
		assert.equal(windowStart(3, 2, 4), 0);
	});

	test('summary counts by state, worst tone', () => {
		assert.deepEqual(fleetSummary([running('a', 1), running('b', 1)]), {text: '2 running', tone: 'ok'});
		assert.deepEqual(fleetSummary(rows), {text: '1 auth failed · 1 unreachable · 2 running', tone: 'error'});
		assert.equal(fleetSummary([]).text, 'no gateways');
	});
});

describe('Fleet view columns', () => {
	const rows = [running('alpha', 1.25), unreachable('a-gateway-with-a-long-name'), authFailed('beta')].map((row) => rowCells(row));

	test('wide: every column, each as wide as its widest cell, the last error taking the rest', () => {
		const columns = fitColumns(rows, 200);
		assert.deepEqual(
			columns.map((column) => column.id),
			['name', 'where', 'state', 'version', 'probe', 'channels', 'sessions', 'reload', 'error'],
		);
		assert.equal(columns.reduce((sum, column) => sum + column.width, 0) + 2 * (columns.length - 1), 200);
		assert.equal(columns[0].width, 24, 'the name is capped');
	});

	test('narrow: columns give way (sessions, reload, version first), name/state/probe stay, nothing wider than the width', () => {
		for (const width of [120, 100, 80, 60, 40, 30]) {
			const columns = fitColumns(rows, width);
			const ids = columns.map((column) => column.id);
			for (const line of rows.map((cells) => fleetLine(cells, columns))) {
				assert.ok(cellWidth(line) <= width, `${width}: ${line}`);
			}

			if (width >= 40) {
				assert.ok(ids.includes('name') && ids.includes('state') && ids.includes('probe'), `${width}: ${ids.join(',')}`);
			}
		}

		assert.ok(!fitColumns(rows, 80).some((column) => column.id === 'sessions'));
	});

	test('cells are cut by terminal cells with an ellipsis and padded', () => {
		assert.equal(fitCell('abcdef', 4), 'abc…');
		assert.equal(fitCell('ab', 4), 'ab  ');
		assert.equal(cellWidth(fitCell('日本語のテキスト', 5)), 5);
	});

	test('a gateway\'s words are made terminal-safe in the cells', () => {
		const row = reduceRow(initialRow('x', 'ws://h', at), {type: 'hello', version: '1.0\u001B[31m', at});
		assert.doesNotMatch(rowCells(row).version, /\u001B/);
	});
});

describe('Fleet view keys', () => {
	const rows = [running('alpha', 1), unreachable('bravo'), running('charlie', 2, 'ws://127.0.0.1:19001')];
	const state = fleet(rows, {alpha: 'profile', bravo: 'profile', charlie: 'url'});

	test('Enter opens the selected gateway; q quits', () => {
		assert.deepEqual(press(state, '', {return: true}).intent.effect, {kind: 'open', name: 'alpha'});
		assert.deepEqual(press(state, 'q').intent.effect, {kind: 'quit'});
	});

	test('R asks with No as the default; y restarts the selected gateway, Enter alone does nothing', () => {
		const asked = press(state, 'R').state;
		assert.equal(asked.confirm?.answer, 'no');
		assert.match(asked.confirm!.question, /Restart gateway alpha \(profile alpha\)\?/);
		assert.equal(press(asked, '', {return: true}).intent.effect, undefined);
		assert.equal(press(asked, '', {return: true}).state.confirm, undefined);
		assert.deepEqual(press(asked, 'y').intent.effect, {kind: 'restart', name: 'alpha'});
	});

	test('R on a gateway that does not answer says so instead of asking', () => {
		const onBravo = press(state, 'j').state;
		const result = press(onBravo, 'R');
		assert.equal(result.state.confirm, undefined);
		assert.match(result.state.flash!.text, /bravo is unreachable: nothing answers to restart/);
	});

	test('S: a running profile asks before stopping, a stopped one starts, a URL entry says why not', () => {
		assert.match(press(state, 'S').state.confirm!.question, /Stop gateway alpha/);
		assert.deepEqual(press(press(state, 'j').state, 'S').intent.effect, {kind: 'start', name: 'bravo'});
		const onCharlie = press(press(state, 'j').state, 'j').state;
		assert.equal(press(onCharlie, 'S').intent.effect, undefined);
		assert.match(press(onCharlie, 'S').state.flash!.text, /S starts and stops this host's profiles; charlie is at ws:\/\/127\.0\.0\.1:19001/);
	});

	test('p and m act on the selected gateway', () => {
		assert.deepEqual(press(state, 'p').intent.effect, {kind: 'probe', name: 'alpha'});
		assert.deepEqual(press(state, 'm').intent.effect, {kind: 'cycleReload', name: 'alpha'});
		assert.equal(press(press(state, 'j').state, 'm').intent.effect, undefined, 'not on an unreachable one');
	});

	test('s cycles the sort, ? opens help and Esc closes it', () => {
		assert.equal(press(state, 's').state.sort, 'state');
		const help = press(state, '?').state;
		assert.equal(help.help, true);
		assert.equal(press(help, '', {escape: true}).state.help, false);
	});

	test('the keymap has a fleet scope: its help and footer, and the panes keep theirs', () => {
		assert.deepEqual(
			helpSections('fleet').map((section) => section.title),
			['Fleet', 'Everywhere'],
		);
		const everywhere = helpSections('fleet')[1].bindings.map((binding) => binding.command);
		assert.deepEqual(everywhere, ['help', 'quit', 'restart', 'stopStart', 'probe', 'cycleReload']);
		assert.ok(!helpSections('logs').some((section) => section.title === 'Fleet'));
		assert.equal(footerBindings('fleet')[0].command, 'help');
		assert.equal(matchBinding('', {tab: true}, 'fleet'), undefined, 'Tab has no pane to move to in the Fleet view');
		assert.equal(matchBinding('', {escape: true}, 'logs')?.command, 'fleetBack');
		assert.ok(keysMarkdown().includes('| `s` | Fleet | Sort by name'));
		assert.ok(keymap.some((binding) => binding.scope === 'fleet'));
	});
});

function facts(name: string, port: number, stateDir = `/home/op/.openclaw-${name}`): ProfileFacts {
	const configPath = `${stateDir}/openclaw.json`;
	return {
		name,
		command: `openclaw --profile ${name}`,
		stateDir,
		stateDirReal: stateDir,
		configPath,
		configPathReal: configPath,
		configExists: true,
		port,
		portSource: configPath,
		workspaces: [{agentId: 'main', dir: `${stateDir}/workspace`, source: 'state-dir', real: `${stateDir}/workspace`}],
	};
}

describe("Fleet view: doctor --all's collisions", () => {
	test('a port two profiles share is one line naming both, the port and the fix; a clean host has none', () => {
		const collisions = fleetCollisions(runAllChecks([facts('alpha', 18_789), facts('beta', 18_789), facts('gamma', 18_889)]));
		assert.equal(collisions.length, 1);
		assert.deepEqual(collisions[0].profiles, ['alpha', 'beta']);
		assert.equal(collisions[0].tone, 'error');
		assert.match(collisions[0].text, /^port 18789 shared by alpha and beta; fix: give profile beta its own port: set gateway\.port to 18809 in \/home\/op\/\.openclaw-beta\/openclaw\.json, then openclaw --profile beta gateway restart$/);
		assert.deepEqual(fleetCollisions(runAllChecks([facts('alpha', 18_789), facts('beta', 18_889)])), []);
	});

	test('a shared state dir and its workspace each get their line', () => {
		const texts = fleetCollisions(runAllChecks([facts('alpha', 18_789, '/srv/oc'), facts('beta', 18_889, '/srv/oc')])).map((collision) => collision.text);
		assert.ok(texts.some((text) => text.startsWith('state dir /srv/oc shared by alpha and beta; fix: ')), texts.join('\n'));
		assert.ok(texts.some((text) => text.startsWith('config /srv/oc/openclaw.json shared by alpha and beta; fix: ')), texts.join('\n'));
	});

	test('the state keeps the audit, and the same audit again changes nothing (no redraw)', () => {
		const state = fleet([running('alpha', 1), running('beta', 2)]);
		assert.deepEqual(state.collisions, []);
		const collisions = fleetCollisions(runAllChecks([facts('alpha', 18_789), facts('beta', 18_789)]));
		const audited = reduce(state, {type: 'fleet/audit', collisions});
		assert.equal(audited.collisions, collisions);
		assert.equal(reduce(audited, {type: 'fleet/audit', collisions: fleetCollisions(runAllChecks([facts('alpha', 18_789), facts('beta', 18_789)]))}), audited);
		assert.deepEqual(reduce(audited, {type: 'fleet/audit', collisions: []}).collisions, []);
	});

	test('more collisions than room: as many as fit, then one line pointing to doctor --all', () => {
		const collisions = fleetCollisions(runAllChecks([facts('a', 18_789, '/srv/x'), facts('b', 18_789, '/srv/x')]));
		assert.ok(collisions.length > 2);
		const lines = collisionLines(collisions, 2);
		assert.equal(lines.length, 2);
		assert.equal(lines[0].text, `! ${collisions[0].text}`);
		assert.equal(lines[1].text, `! ${collisions.length - 1} more: run openclaw doctor --all`);
		assert.equal(collisionLines(collisions, collisions.length).length, collisions.length);
	});
});
