// Config writes edit the operator's JSON5 text: the change set between two configs, its application to the text,
// and the rewrite the writer falls back to when the edit could not keep exactly the new config.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import JSON5 from 'json5';
import {configChanges} from '../source/protocol/config/changes.js';
import {applyChangesToText, configTextFor} from '../source/protocol/config/edit-text.js';

const operatorFile = `// gateway for the home lab: keep this note
{
  gateway: {
    mode: 'local', // never remote here
    port: 18789,
    /* hot: the bots must not drop off */
    reload: {mode: 'hot'},
  },
  channels: {
    telegram: {enabled: false, dmPolicy: "pairing",}, // off until the bot is approved
  },
}
`;

/** The new config: the old one parsed, changed by `edit`. */
function edited(raw: string, edit: (config: any) => void): unknown {
	const config = JSON5.parse(raw);
	edit(config);
	return config;
}

describe('configChanges', () => {
	it('names only the leaves that differ, as set or remove at key paths', () => {
		const before = {gateway: {port: 1, reload: {mode: 'hot'}}, logging: {level: 'info'}, list: [1, 2]};
		const after = {gateway: {port: 1, reload: {mode: 'off'}, bind: 'lan'}, list: [1, 2]};
		assert.deepEqual(configChanges(before, after), [
			{op: 'remove', path: ['logging']},
			{op: 'set', path: ['gateway', 'reload', 'mode'], value: 'off'},
			{op: 'set', path: ['gateway', 'bind'], value: 'lan'},
		]);
	});

	it('replaces an array, or a value whose type changes, whole', () => {
		assert.deepEqual(configChanges({a: [1, 2], b: {c: 1}, d: 'x'}, {a: [1, 3], b: 'flat', d: {e: 1}}), [
			{op: 'set', path: ['a'], value: [1, 3]},
			{op: 'set', path: ['b'], value: 'flat'},
			{op: 'set', path: ['d'], value: {e: 1}},
		]);
	});

	it('is empty for equal configs, whatever their key order', () => {
		assert.deepEqual(configChanges({a: {b: 1, c: [{d: 2}]}, e: null}, {e: null, a: {c: [{d: 2}], b: 1}}), []);
	});

	it('treats a __proto__ key as an own key', () => {
		const before = JSON5.parse('{"__proto__": {x: 1}, a: 1}');
		assert.deepEqual(configChanges(before, {a: 1}), [{op: 'remove', path: ['__proto__']}]);
		assert.equal(({} as any).x, undefined);
	});
});

describe('applyChangesToText', () => {
	it('changes one value and leaves every other byte as it was', () => {
		const text = applyChangesToText(operatorFile, [{op: 'set', path: ['gateway', 'reload', 'mode'], value: 'restart'}]);
		assert.equal(text, operatorFile.replace(`reload: {mode: 'hot'}`, `reload: {mode: 'restart'}`));
	});

	it('adds nested keys in the style of their neighbours, and removes keys with their commas', () => {
		const text = applyChangesToText(operatorFile, [
			{op: 'set', path: ['logging'], value: {level: 'debug'}},
			{op: 'remove', path: ['channels', 'telegram', 'enabled']},
		]);
		assert.match(text, /^\/\/ gateway for the home lab: keep this note\n/);
		assert.match(text, /telegram: { ?dmPolicy: "pairing",}, \/\/ off until the bot is approved\n/);
		assert.match(text, /\n {2}logging: {\n {4}level: 'debug',\n {2}},\n}\n$/);
		assert.deepEqual(JSON5.parse(text).logging, {level: 'debug'});
	});

	it('refuses text it cannot parse, and a path through a value that is not an object', () => {
		assert.throws(() => applyChangesToText(`{a: '\\x41'}`, [{op: 'set', path: ['b'], value: 1}]));
		assert.throws(() => applyChangesToText(`{a: 1}`, [{op: 'set', path: ['a', 'b'], value: 1}]));
	});
});

describe('configTextFor', () => {
	it('keeps the file: comments, unquoted keys, quotes and trailing commas survive a change', () => {
		const next = edited(operatorFile, (config) => {
			config.gateway.reload.mode = 'restart';
		});
		const result = configTextFor(operatorFile, next);
		assert.equal(result.formatting, 'kept');
		assert.equal(result.text, operatorFile.replace(`{mode: 'hot'}`, `{mode: 'restart'}`));
	});

	it('keeps the comments of keys a whole-config replacement still has', () => {
		const next = {gateway: {mode: 'local', port: 18_790, reload: {mode: 'hot'}}};
		const result = configTextFor(operatorFile, next);
		assert.equal(result.formatting, 'kept');
		assert.match(result.text, /mode: 'local', \/\/ never remote here\n {4}port: 18790,\n {4}\/\* hot: the bots must not drop off \*\//);
		assert.equal(result.text.includes('telegram'), false);
		assert.deepEqual(JSON5.parse(result.text), next);
	});

	it('writes plain JSON for a missing or blank file', () => {
		assert.deepEqual(configTextFor('', {a: 1}), {text: '{\n  "a": 1\n}\n', formatting: 'new'});
		assert.deepEqual(configTextFor(' \n', {a: 1}), {text: '{\n  "a": 1\n}\n', formatting: 'new'});
	});

	it('rewrites as plain JSON, saying why, when the text is JSON5 the editor cannot read', () => {
		const raw = `// note\n{gateway: {mode: 'local'}, meta: {tag: '\\x41'}}\n`;
		const next = edited(raw, (config) => {
			config.gateway.mode = 'remote';
		});
		const result = configTextFor(raw, next);
		assert.equal(result.formatting, 'rewritten');
		assert.match((result as {reason: string}).reason, /cannot edit the file in place/);
		assert.equal(result.text, `${JSON.stringify(next, null, 2)}\n`);
	});

	it('rewrites a file that is not JSON5 at all (config.set over a broken file)', () => {
		const result = configTextFor('{gateway: ', {a: 1});
		assert.equal(result.formatting, 'rewritten');
		assert.match((result as {reason: string}).reason, /^the file is not valid JSON5: invalid end of input/);
	});

	it('rewrites when the edit would not read back as the new config (a duplicated key: JSON5 keeps the last)', () => {
		const raw = `{a: 1, a: 2, b: 1}`;
		const result = configTextFor(raw, {a: 3, b: 1});
		assert.equal(result.formatting, 'rewritten');
		assert.match((result as {reason: string}).reason, /would not read back as the new config/);
		assert.deepEqual(JSON.parse(result.text), {a: 3, b: 1});
	});

	it('leaves untouched JSON5-only numbers as written', () => {
		const raw = `{port: 0x4965, ratio: .5, limit: +Infinity, level: 'info'}`;
		const result = configTextFor(raw, {...(JSON5.parse(raw) as object), level: 'debug'});
		assert.deepEqual(result, {text: `{port: 0x4965, ratio: .5, limit: +Infinity, level: 'debug'}`, formatting: 'kept'});
	});
});
