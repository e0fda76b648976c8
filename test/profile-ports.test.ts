// How setup picks a port for a new profile: pure choice over the ports other profiles use and what is busy.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {pickPort} from '../source/config/profile-ports.js';

const free = async () => undefined;

describe('pickPort', () => {
	it('the base port when nothing else is near it', async () => {
		assert.deepEqual(await pickPort(18_789, [{port: 19_001, by: 'profile dev'}], free), {port: 18_789, notes: []});
	});

	it('steps by 20 past ports other profiles use within 20, naming them', async () => {
		const used = [
			{port: 18_789, by: 'profile a'},
			{port: 18_815, by: 'profile b'},
		];
		const choice = await pickPort(18_789, used, free);
		assert.equal(choice.port, 18_849);
		assert.deepEqual(choice.notes, ['18789 is used by profile a', '18815 is used by profile b', '18815 is used by profile b']);
	});

	it('passes over a port something listens on, saying who', async () => {
		const choice = await pickPort(18_789, [], async (port) => (port === 18_789 ? 'pid 42' : undefined));
		assert.deepEqual(choice, {port: 18_809, notes: ['18789 is in use (pid 42)']});
	});
});
