// The command flag parser (node:util parseArgs over the registry's meow-style specs): what meow gave commands,
// without loading meow.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {UsageError} from '../source/protocol/errors.js';
import {commands} from '../source/commands/registry.js';
import {kebabCase, parseFlags, wantsHelp} from '../source/commands/parse-flags.js';

const specs = {
	json: {type: 'boolean', default: false},
	follow: {type: 'boolean', shortFlag: 'f', default: false},
	maxBytes: {type: 'string'},
	allowUnconfigured: {type: 'boolean', default: false},
	count: {type: 'number'},
};

describe('parseFlags', () => {
	it('camelCases kebab flags, applies defaults, keeps positionals', () => {
		assert.deepEqual(parseFlags(specs, ['run', '--max-bytes', '10', '--allow-unconfigured'], 'x'), {
			input: ['run'],
			flags: {json: false, follow: false, allowUnconfigured: true, maxBytes: '10'},
		});
	});

	it('accepts camelCase spellings, --flag=value, short flags and --no-<boolean>', () => {
		const {flags} = parseFlags(specs, ['--maxBytes=7', '-f', '--no-json', '--count', '3'], 'x');
		assert.deepEqual(flags, {json: false, follow: true, allowUnconfigured: false, maxBytes: '7', count: 3});
		assert.equal(parseFlags(specs, ['--json', '--no-json'], 'x').flags.json, false);
	});

	it('unknown flags, missing values and bad numbers are usage errors naming the command', () => {
		assert.throws(() => parseFlags(specs, ['--nope'], 'logs'), (error: Error) => error instanceof UsageError && /Unknown option '--nope'.*openclaw logs --help/.test(error.message));
		assert.throws(() => parseFlags(specs, ['--max-bytes'], 'logs'), UsageError);
		assert.throws(() => parseFlags(specs, ['--count', 'many'], 'logs'), /--count needs a number/);
	});

	it('wantsHelp sees --help / -h before a `--`', () => {
		assert.equal(wantsHelp(['--json', '--help']), true);
		assert.equal(wantsHelp(['-h']), true);
		assert.equal(wantsHelp(['--', '--help']), false);
		assert.equal(wantsHelp(['--json']), false);
		assert.equal(kebabCase('remotePort'), 'remote-port');
	});

	it('every registered command has specs the parser accepts', () => {
		for (const spec of commands) {
			assert.doesNotThrow(() => parseFlags(spec.flags as any, [], spec.words.join(' ')), spec.words.join(' '));
		}
	});
});
