// The Fleet view's add form and x, without a screen: the form's keys (Tab order, the credential kind, typing that
// never reaches the keymap), the check on Enter (the fleet file's, each problem under its field), and x removing only
// what a added, asking first with No as the default, and saying where any other row comes from.
import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, test} from 'node:test';
import {routeFleetKey} from '../source/console/fleet-intents.js';
import {emptyForm, fleetFormReducer, formEntry, formLines, parseWhere, type FleetForm, type FormAction} from '../source/console/state/fleet-form.js';
import {fleetViewReducer, initialFleetView, selectedRow, type FleetViewAction, type FleetViewState} from '../source/console/state/fleet.js';
import type {EntryOrigin} from '../source/fleet/entry.js';
import {initialRow} from '../source/fleet/row.js';

const at = Date.UTC(2026, 0, 1);
const env = {HOME: '/home/op'};
const context = {env, cwd: '/work/here', taken: {alpha: 'profile alpha'}};

function form(...actions: FormAction[]): FleetForm {
	return actions.reduce(fleetFormReducer, emptyForm);
}

function typed(fields: Partial<Pick<FleetForm, 'name' | 'where' | 'secret' | 'auth'>>): FleetForm {
	return {...emptyForm, ...fields};
}

function reduce(state: FleetViewState, ...actions: FleetViewAction[]): FleetViewState {
	return actions.reduce(fleetViewReducer, state);
}

/** Keys in order through routeFleetKey, the actions applied; the effects collected. */
function keys(state: FleetViewState, ...presses: Array<string | Record<string, boolean>>) {
	const effects = [];
	for (const press of presses) {
		const intent = typeof press === 'string' ? routeFleetKey(state, {input: press, key: {}}) : routeFleetKey(state, {input: '', key: press});
		state = reduce(state, ...intent.actions);
		if (intent.effect) {
			effects.push(intent.effect);
		}
	}

	return {state, effects};
}

const origins: Record<string, EntryOrigin> = {
	alpha: {source: 'profile'},
	filed: {source: 'file', path: '/etc/fleet.json5'},
	mine: {source: 'console', path: '/home/op/.config/openclaw/console.json'},
};

function view(): FleetViewState {
	const rows = [initialRow('alpha', 'profile alpha', at), initialRow('filed', 'ws://10.0.0.5:18789', at), initialRow('mine', 'ws://127.0.0.1:1', at)];
	return initialFleetView(rows, {alpha: 'profile', filed: 'url', mine: 'url'}, {columns: 120, rows: 30}, origins);
}

describe('the add form reducer', () => {
	test('types into the focused field, erases by character, and drops control characters from a paste', () => {
		const state = form({type: 'form/type', text: 'gw-1'}, {type: 'form/type', text: 'é\u001B[2~\n'}, {type: 'form/erase'});
		assert.equal(state.name, 'gw-1é[2');
		assert.equal(form({type: 'form/erase'}), emptyForm, 'erasing an empty field changes nothing');
	});

	test('Tab visits name, where, credential kind, secret and wraps; with no credential the secret is skipped', () => {
		const order = (start: FleetForm, delta: 1 | -1) => {
			const seen = [];
			let state = start;
			for (let index = 0; index < 5; index++) {
				state = fleetFormReducer(state, {type: 'form/focus', delta});
				seen.push(state.focus);
			}

			return seen;
		};

		assert.deepEqual(order(emptyForm, 1), ['where', 'auth', 'secret', 'name', 'where']);
		assert.deepEqual(order(emptyForm, -1), ['secret', 'auth', 'where', 'name', 'secret']);
		assert.deepEqual(order({...emptyForm, auth: 'none'}, 1), ['where', 'auth', 'name', 'where', 'auth']);
	});

	test('the credential kind cycles both ways; typing there does nothing; a new kind clears the old secret problem', () => {
		const onAuth = {...emptyForm, focus: 'auth' as const, errors: {secret: 'token: must not be empty', name: 'x'}};
		const next = fleetFormReducer(onAuth, {type: 'form/auth', delta: 1});
		assert.equal(next.auth, 'tokenFile');
		assert.deepEqual(next.errors, {name: 'x'});
		assert.equal(fleetFormReducer(onAuth, {type: 'form/auth', delta: -1}).auth, 'none');
		assert.equal(fleetFormReducer(onAuth, {type: 'form/type', text: 'abc'}), onAuth);
	});

	test("editing a field clears that field's problem only", () => {
		const withErrors = {...emptyForm, errors: {name: 'bad', where: 'bad too'}};
		assert.deepEqual(fleetFormReducer(withErrors, {type: 'form/type', text: 'a'}).errors, {where: 'bad too'});
	});

	test('a typed token is masked; a token file path is shown', () => {
		const token = formLines(typed({secret: 's3cret'})).find((line) => line.field === 'secret')!;
		assert.equal(token.value, '••••••');
		assert.equal(token.label, 'token');
		const file = formLines(typed({auth: 'tokenFile', secret: '~/gw.token'})).find((line) => line.field === 'secret')!;
		assert.equal(file.value, '~/gw.token');
		assert.equal(formLines(typed({auth: 'none'})).some((line) => line.field === 'secret'), false);
		const password = formLines(typed({auth: 'password', secret: 'pw pw'})).find((line) => line.field === 'secret')!;
		assert.deepEqual([password.label, password.value], ['password', '•••••']);
	});
});

describe('the where field', () => {
	test('a ws:// or wss:// URL, or ssh user@host[:port] [:remote-port] [-i identity]', () => {
		assert.deepEqual(parseWhere(' wss://gw.example:443 '), {where: {url: 'wss://gw.example:443'}});
		assert.deepEqual(parseWhere('ssh ops@vps:2222 :19001 -i ~/.ssh/k'), {where: {ssh: 'ops@vps:2222', remotePort: 19_001, identity: '~/.ssh/k'}});
		assert.deepEqual(parseWhere('ssh ops@vps'), {where: {ssh: 'ops@vps'}});
		assert.match(parseWhere('').error!, /^empty: a ws:\/\//);
		assert.match(parseWhere('ssh').error!, /ssh needs user@host/);
		assert.match(parseWhere('ssh ops@vps --port 1').error!, /unexpected "--port"/);
		assert.match(parseWhere('gw.example:18789').error!, /expected a ws:\/\/ or wss:\/\/ URL, or ssh/);
	});
});

describe('the check on Enter is the fleet file one', () => {
	test('a URL entry with a token', () => {
		assert.deepEqual(formEntry(typed({name: 'gw', where: 'ws://127.0.0.1:18789', secret: 'tok'}), context), {entry: {name: 'gw', url: 'ws://127.0.0.1:18789', token: 'tok'}});
	});

	test('an ssh entry with a token file and an identity, relative paths taken from the cwd, ~ kept for the store', () => {
		const result = formEntry(typed({name: 'vps', where: 'ssh ops@vps:22 :19001 -i keys/id', auth: 'tokenFile', secret: 'vps.token'}), context);
		assert.deepEqual(result, {entry: {name: 'vps', ssh: 'ops@vps:22', remotePort: 19_001, identity: path.resolve('/work/here', 'keys/id'), tokenFile: path.resolve('/work/here', 'vps.token')}});
		const home = formEntry(typed({name: 'vps', where: 'ssh ops@vps', auth: 'tokenFile', secret: '~/vps.token'}), context);
		assert.deepEqual(home, {entry: {name: 'vps', ssh: 'ops@vps', tokenFile: '~/vps.token'}});
	});

	test('a password is kept as typed (spaces and all), and an empty one is a problem under the secret field', () => {
		assert.deepEqual(formEntry(typed({name: 'pw', where: 'ws://127.0.0.1:18789', auth: 'password', secret: ' two words '}), context), {
			entry: {name: 'pw', url: 'ws://127.0.0.1:18789', password: ' two words '},
		});
		const empty = formEntry(typed({name: 'pw', where: 'ws://127.0.0.1:18789', auth: 'password', secret: ''}), context);
		assert.ok('errors' in empty && empty.errors.secret, JSON.stringify(empty));
	});

	test('no credential at all is an entry too (a loopback gateway with auth none)', () => {
		assert.deepEqual(formEntry(typed({name: 'open', where: 'ws://127.0.0.1:1', auth: 'none', secret: 'left over'}), context), {entry: {name: 'open', url: 'ws://127.0.0.1:1'}});
	});

	test('each problem under its field, in the fleet file words', () => {
		const result = formEntry(typed({name: 'bad name', where: 'http://gw:1', secret: ''}), context);
		assert.ok('errors' in result);
		assert.match(result.errors.name!, /use 1 to 64 letters/);
		assert.equal(result.errors.where, '"http://gw:1" is not a ws:// or wss:// URL');
		assert.equal(result.errors.secret, 'token: must not be empty');
		assert.deepEqual(Object.keys(result.errors).sort(), ['name', 'secret', 'where']);
	});

	test('a remote port out of range and an ssh target that would be an ssh option are where problems', () => {
		const port = formEntry(typed({name: 'vps', where: 'ssh ops@vps :70000', secret: 't'}), context);
		assert.ok('errors' in port);
		assert.match(port.errors.where!, /^remotePort: /);
		const target = formEntry(typed({name: 'vps', where: 'ssh -oProxyCommand=sh', secret: 't'}), context);
		assert.ok('errors' in target);
		assert.match(target.errors.where!, /^invalid ssh target "-oProxyCommand=sh": empty, or starts with "-"/);
	});

	test('a name the fleet uses is refused, naming where that gateway is', () => {
		const result = formEntry(typed({name: 'alpha', where: 'ws://127.0.0.1:1', secret: 't'}), context);
		assert.deepEqual(result, {errors: {name: 'already used by profile alpha'}});
	});

	test("the where field's own problem is not doubled by the placeholder URL's", () => {
		const result = formEntry(typed({name: 'gw', where: 'nonsense', secret: 't'}), context);
		assert.ok('errors' in result);
		assert.match(result.errors.where!, /^expected a ws:\/\//);
	});
});

describe('a and x in the Fleet view', () => {
	test('a opens the form; letters there are typed (q does not quit), Tab moves, Enter hands the form over, Esc closes', () => {
		let {state, effects} = keys(view(), 'a');
		assert.deepEqual(state.form, emptyForm);
		({state, effects} = keys(state, 'q', 'x', {tab: true}, 'w', 's', {tab: true, shift: true}, {backspace: true}));
		assert.deepEqual(effects, []);
		assert.equal(state.form!.name, 'q');
		assert.equal(state.form!.where, 'ws');
		({state, effects} = keys(state, {return: true}));
		assert.deepEqual(effects, [{kind: 'add', form: state.form}]);
		assert.ok(state.form, 'the form stays open until the controller saved it');
		({state} = keys(state, {escape: true}));
		assert.equal(state.form, undefined);
	});

	test('on the credential field Left/Right/Space pick the kind', () => {
		const {state} = keys(reduce(view(), {type: 'fleet/formOpen'}), {tab: true}, {tab: true}, ' ', {rightArrow: true});
		assert.equal(state.form!.focus, 'auth');
		assert.equal(state.form!.auth, 'password');
		assert.equal(keys(state, {rightArrow: true}).state.form!.auth, 'none');
		assert.equal(keys(state, {leftArrow: true}).state.form!.auth, 'tokenFile');
	});

	test('x on an entry added from the console asks, No by default; y removes it', () => {
		const onMine = reduce(view(), {type: 'fleet/select', name: 'mine'});
		const asked = keys(onMine, 'x');
		assert.equal(asked.state.confirm?.kind, 'remove');
		assert.equal(asked.state.confirm?.answer, 'no');
		assert.match(asked.state.confirm!.question, /Remove gateway mine \(ws:\/\/127\.0\.0\.1:1\) from the console's store\?/);
		assert.deepEqual(keys(asked.state, {return: true}).effects, [], 'Enter takes the default, No');
		assert.deepEqual(keys(asked.state, 'y').effects, [{kind: 'remove', name: 'mine'}]);
	});

	test('x on a fleet file entry or a profile says where it comes from and removes nothing', () => {
		const filed = keys(reduce(view(), {type: 'fleet/select', name: 'filed'}), 'x');
		assert.equal(filed.state.confirm, undefined);
		assert.deepEqual(filed.effects, []);
		assert.match(filed.state.flash!.text, /filed comes from the fleet file \/etc\/fleet\.json5: remove it there/);
		const profile = keys(view(), 'x');
		assert.match(profile.state.flash!.text, /alpha is this host's profile alpha .*profiles: false in the fleet file/);
	});

	test('an added row is selected and gets its kind and origin; a removed one hands the selection on', () => {
		const origin: EntryOrigin = {source: 'console', path: '/c.json'};
		let state = reduce(view(), {type: 'fleet/filterDraft', draft: 'alpha'}, {type: 'fleet/filterApply'});
		state = reduce(state, {type: 'fleet/added', row: initialRow('new', 'ws://127.0.0.1:2', at), kind: 'url', origin});
		assert.equal(selectedRow(state)?.name, 'new');
		assert.equal(state.filter, '', 'a filter that would hide the new row is cleared');
		assert.equal(state.kinds.new, 'url');
		assert.deepEqual(state.origins.new, origin);
		state = reduce(state, {type: 'fleet/removed', name: 'new'});
		assert.equal(state.rows.some((row) => row.name === 'new'), false);
		assert.equal(state.origins.new, undefined);
		assert.equal(selectedRow(state)?.name, 'mine', 'the row above takes the selection at the end of the list');
		assert.equal(reduce(state, {type: 'fleet/removed', name: 'gone'}), state);
	});
});
