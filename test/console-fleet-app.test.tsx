// The Fleet view through ink-testing-library: rows drawn, keys move the selection and sort, Enter asks the driver to
// open the selected gateway and its panes replace the table; Esc there asks to come back.
import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {afterEach, describe, test} from 'node:test';
import React from 'react';
import type {FleetEffect} from '../source/console/fleet-intents.js';
import type {Effect} from '../source/console/intents.js';
import type {DrillIn} from '../source/console/live/fleet-controller.js';
import {FleetStore} from '../source/console/fleet-store.js';
import {initialFleetView} from '../source/console/state/fleet.js';
import {initialConsoleState} from '../source/console/state/index.js';
import {ConsoleStore} from '../source/console/store.js';
import {monoTheme} from '../source/console/theme.js';
import {initialRow, reduceRow, type FleetRow} from '../source/fleet/row.js';

const {render} = await import('ink-testing-library');
const {FleetConsole} = await import('../source/console/FleetConsole.js');

const tick = async (ms = 30) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

const at = Date.now();

function running(name: string, latencyMs: number): FleetRow {
	return reduceRow(reduceRow(initialRow(name, `profile ${name}`, at), {type: 'hello', version: '2.0.0', at}), {
		type: 'probe-ok',
		latencyMs,
		summary: {channels: {ready: 2, total: 3}, sessions: 4, reloadMode: 'hot'},
		at,
	});
}

class FakeDriver extends EventEmitter {
	effects: FleetEffect[] = [];
	paneEffects: Effect[] = [];
	current?: DrillIn;
	drill = () => this.current;
	subscribeDrill = (listener: () => void) => {
		this.on('drill', listener);
		return () => this.off('drill', listener);
	};

	run(effect: FleetEffect) {
		this.effects.push(effect);
		if (effect.kind === 'open') {
			const store = new ConsoleStore(initialConsoleState({mode: 'attach', url: 'ws://127.0.0.1:1', size: {columns: 120, rows: 30}}));
			this.current = {name: effect.name, label: `fleet › ${effect.name}  Esc: fleet`, store, effects: {run: (paneEffect) => this.paneEffects.push(paneEffect)}};
			this.emit('drill');
		}
	}
}

const mounted: Array<{unmount(): void; store: FleetStore}> = [];
afterEach(() => {
	for (const view of mounted.splice(0)) {
		view.unmount();
		view.store.dispose();
	}
});

async function mount(rows: FleetRow[]) {
	const store = new FleetStore(initialFleetView(rows, {}, {columns: 120, rows: 20}));
	const driver = new FakeDriver();
	const view = render(<FleetConsole store={store} driver={driver} theme={monoTheme} trackTerminalSize={false} />);
	mounted.push({unmount: view.unmount, store});
	await tick();
	return {view, store, driver, frame: () => view.lastFrame() ?? ''};
}

describe('Fleet view screen', () => {
	test('one row per gateway with every column; the header counts by state; the footer shows the fleet keys', async () => {
		const unreachable = reduceRow(initialRow('bravo', 'ws://127.0.0.1:19001', at), {type: 'unreachable', why: 'connection refused', at});
		const {frame} = await mount([running('alpha', 1.5), unreachable]);
		const screen = frame();
		assert.match(screen, /NAME\s+WHERE\s+STATE\s+VERSION\s+PROBE\s+CHANNELS/);
		assert.match(screen, /▸ alpha\s+profile alpha\s+running\s+2\.0\.0\s+1\.5 ms ▁\s+2\/3/);
		assert.match(screen, /bravo\s+ws:\/\/127\.0\.0\.1:19001\s+unreachable since \d\d:\d\d \(connection refused\)/);
		assert.match(screen, /1 unreachable · 1 running/);
		assert.match(screen.split('\n').at(-1)!, /^\? help\s+Enter open\s+s sort\s+\/ filter/);
		assert.equal(screen.split('\n').length, 19);
	});

	test("doctor --all's collisions among the profiles: a line above the table naming both and the fix", async () => {
		const {store, frame} = await mount([running('alpha', 1), running('bravo', 2)]);
		store.dispatch({type: 'fleet/audit', collisions: [{id: 'port', profiles: ['alpha', 'bravo'], tone: 'error', text: 'port 18789 shared by alpha and bravo; fix: set gateway.port to 18809'}]});
		await tick();
		const lines = frame().split('\n');
		const audit = lines.findIndex((line) => line.includes('! port 18789 shared by alpha and bravo; fix: set gateway.port to 18809'));
		assert.ok(audit > 0, frame());
		assert.ok(audit < lines.findIndex((line) => /NAME\s+WHERE/.test(line)), 'above the table');
		assert.match(frame(), /▸ alpha\s+profile alpha/);
	});

	test('j moves the selection, s sorts, / filters as typed', async () => {
		const {view, frame} = await mount([running('alpha', 1), running('bravo', 50), running('charlie', 5)]);
		view.stdin.write('j');
		await tick();
		assert.match(frame(), /▸ bravo/);
		view.stdin.write('s');
		await tick();
		view.stdin.write('s');
		await tick();
		assert.match(frame(), /sort: latency/);
		assert.ok(frame().indexOf('bravo') < frame().indexOf('charlie') && frame().indexOf('charlie') < frame().indexOf('alpha  '), frame());
		view.stdin.write('/');
		await tick();
		view.stdin.write('char');
		await tick();
		assert.match(frame(), /1\/3 gateways/);
		assert.doesNotMatch(frame(), /alpha\s+profile/);
	});

	test('a row reported unchanged tells no one; a changed one redraws only with its new text', async () => {
		const alpha = running('alpha', 1);
		const {store, frame} = await mount([alpha, running('bravo', 2)]);
		let told = 0;
		store.subscribe(() => told++);
		store.dispatch({type: 'fleet/row', row: alpha});
		assert.equal(told, 0);
		store.dispatch({type: 'fleet/row', row: reduceRow(alpha, {type: 'auth-failed', why: 'unauthorized: gateway token mismatch', at})});
		await tick();
		assert.equal(told, 1);
		assert.match(frame(), /alpha\s+profile alpha\s+auth failed \(unauthorized: gateway token mismatch\)/);
	});

	test('paced rows: new figures wait for the batch (one change for all), a changed state is shown at once', async () => {
		const store = new FleetStore(initialFleetView([running('alpha', 1), running('bravo', 2)]), {rowFlushMs: 40});
		mounted.push({unmount() {}, store});
		let told = 0;
		store.subscribe(() => told++);
		store.queueRow(running('alpha', 7));
		store.queueRow(running('bravo', 8));
		assert.equal(told, 0);
		assert.equal(store.getSnapshot().rows[0].latencyMs, 1);
		await tick(80);
		assert.equal(told, 1);
		assert.deepEqual(
			store.getSnapshot().rows.map((row) => row.latencyMs),
			[7, 8],
		);
		store.queueRow(running('alpha', 9));
		store.queueRow(reduceRow(running('bravo', 8), {type: 'unreachable', why: 'connection refused', at}));
		// The state change took the waiting figures with it, in one change.
		assert.equal(told, 2);
		assert.deepEqual(
			store.getSnapshot().rows.map((row) => [row.state, row.latencyMs]),
			[
				['running', 9],
				['unreachable', undefined],
			],
		);
		await tick(80);
		assert.equal(told, 2);
	});

	test('Enter opens the selected gateway: its panes replace the table; Esc there asks to go back', async () => {
		const {view, driver, frame} = await mount([running('alpha', 1), running('bravo', 2)]);
		view.stdin.write('j');
		await tick();
		view.stdin.write('\r');
		await tick(60);
		assert.deepEqual(driver.effects.at(-1), {kind: 'open', name: 'bravo'});
		assert.match(frame(), /fleet › bravo {2}Esc: fleet/);
		assert.match(frame(), /Runtime/);
		view.stdin.write('\u001B');
		await tick(80);
		assert.deepEqual(driver.paneEffects, ['back']);
	});

	test('R asks about the selected gateway with No as the default', async () => {
		const {view, driver, frame} = await mount([running('alpha', 1)]);
		view.stdin.write('R');
		await tick();
		assert.match(frame(), /Restart gateway alpha \(profile alpha\)\?/);
		view.stdin.write('\r');
		await tick();
		assert.deepEqual(driver.effects, []);
		view.stdin.write('R');
		await tick();
		view.stdin.write('y');
		await tick();
		assert.deepEqual(driver.effects, [{kind: 'restart', name: 'alpha'}]);
	});

	test('a opens the add form over the table: typed fields, a masked token, a problem under its field, Esc back', async () => {
		const {view, store, driver, frame} = await mount([running('alpha', 1)]);
		view.stdin.write('a');
		await tick();
		assert.match(frame(), /Add a gateway/);
		assert.match(frame().split('\n').at(-1)!, /Tab\/Shift-Tab: field · Left\/Right: credential kind · Enter: save · Esc: cancel/);
		view.stdin.write('gw');
		await tick();
		view.stdin.write('\t');
		await tick();
		view.stdin.write('http://x:1');
		await tick();
		view.stdin.write('\t\ttok');
		await tick();
		assert.match(frame(), /▸ token\s+•••/);
		assert.doesNotMatch(frame(), /tok\b/);
		view.stdin.write('\r');
		await tick();
		const effect = driver.effects.at(-1);
		assert.equal(effect?.kind, 'add');
		assert.deepEqual(effect?.kind === 'add' && {name: effect.form.name, where: effect.form.where, secret: effect.form.secret}, {name: 'gw', where: 'http://x:1', secret: 'tok'});
		// What the controller does with a refused entry: the problem, under its field.
		store.dispatch({type: 'fleet/form', action: {type: 'form/errors', errors: {where: '"http://x:1" is not a ws:// or wss:// URL'}}});
		await tick();
		const lines = frame().split('\n');
		const where = lines.findIndex((line) => /where\s+http:\/\/x:1/.test(line));
		assert.ok(where !== -1, frame());
		assert.match(lines[where + 1], /"http:\/\/x:1" is not a ws:\/\/ or wss:\/\/ URL/);
		view.stdin.write('\u001B');
		await tick(80);
		assert.match(frame(), /▸ alpha\s+profile alpha\s+running/);
	});
});
