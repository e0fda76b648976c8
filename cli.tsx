#!/usr/bin/env node
// `openclaw`: finds the command words in argv (after the root options --profile NAME / --dev), parses that
// command's flags (meow renders --help), and runs it. Only the chosen command's code is loaded.
import {parseFlags, wantsHelp} from './source/commands/parse-flags.js';
import {UsageError} from './source/protocol/errors.js';
import {terminalSafe} from './source/cli-output/terminal-safe.js';
import {commands, type CommandSpec} from './source/commands/registry.js';
import {didYouMean} from './source/protocol/suggest.js';

const rootHelp = `Usage: openclaw [--profile NAME | --dev] <command> [options]

Commands
${commands.map((spec) => `  ${spec.words.join(' ').padEnd(26)}${spec.summary}`).join('\n')}

Root options
  --profile NAME   Isolated profile: state in ~/.openclaw-NAME
  --dev            The dev profile: state in ~/.openclaw-dev, port 19001
  --help           Help (also after any command: openclaw gateway status --help)
  --version        Print the version

Environment
  OPENCLAW_CONFIG_PATH, OPENCLAW_STATE_DIR, OPENCLAW_GATEWAY_PORT, OPENCLAW_GATEWAY_TOKEN, NO_COLOR`;

type Split = {profile?: string; dev: boolean; rest: string[]};

/** Take the root options off the front of argv (they may also appear later; OpenClaw accepts both). */
function splitRootOptions(argv: string[]): Split {
	const out: Split = {dev: false, rest: []};
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg === '--dev' && out.rest.length === 0) {
			out.dev = true;
		} else if (arg === '--profile' && out.rest.length === 0) {
			const value = argv[++index];
			if (value === undefined || value.startsWith('-')) {
				throw new UsageError('--profile needs a name: openclaw --profile NAME <command>');
			}

			out.profile = value;
		} else if (arg.startsWith('--profile=') && out.rest.length === 0) {
			out.profile = arg.slice('--profile='.length);
		} else {
			out.rest.push(arg);
		}
	}

	return out;
}

/** The longest command whose words prefix the positional arguments. */
function findCommand(rest: string[]): {spec: CommandSpec; args: string[]} | undefined {
	const positional = rest.filter((arg) => !arg.startsWith('-'));
	let best: CommandSpec | undefined;
	for (const spec of commands) {
		const matches = spec.words.every((word, index) => positional[index] === word);
		if (matches && (!best || spec.words.length > best.words.length)) {
			best = spec;
		}
	}

	if (!best) {
		return undefined;
	}

	// Drop the command words (first occurrences, in order) and keep everything else for meow.
	const args = [...rest];
	for (const word of best.words) {
		args.splice(args.indexOf(word), 1);
	}

	return {spec: best, args};
}

/**
 * `openclaw gateway frobnicate`: the longest match is `gateway` (which runs a gateway in the foreground), but the
 * next word was meant as one of its subcommands. Said as a usage error instead of starting a gateway.
 */
function unknownSubcommand(spec: CommandSpec, next: string | undefined): string | undefined {
	const subcommands = commands
		.filter((command) => command.words.length === spec.words.length + 1 && spec.words.every((word, index) => command.words[index] === word))
		.map((command) => command.words.at(-1)!);
	if (next === undefined || subcommands.length === 0) {
		return undefined;
	}

	const known = [...(spec.aliasWords ?? []), ...subcommands];
	return `openclaw: unknown command "${spec.words.join(' ')} ${next}".${didYouMean(next, known)} Known: ${known.join(', ')}. Run openclaw ${spec.words.join(' ')} --help.`;
}

/**
 * `openclaw fleet` or `openclaw fleet statsu`: the first word only groups subcommands (no command is that word
 * alone), so the suggestion is among its subcommands, not the top-level words (which would offer "fleet" itself).
 */
function unknownInGroup(input: string[]): string | undefined {
	const [group, next] = input;
	const members = commands.filter((command) => command.words.length === 2 && command.words[0] === group);
	if (members.length === 0 || commands.some((command) => command.words.length === 1 && command.words[0] === group)) {
		return undefined;
	}

	const known = members.map((command) => command.words[1]);
	if (next === undefined) {
		return `openclaw: "${group}" needs a subcommand: ${known.join(', ')}. Run openclaw ${group} ${known[0]} --help.`;
	}

	return `openclaw: unknown command "${group} ${next}".${didYouMean(next, known)} Known: ${known.join(', ')}. Run openclaw ${group} ${known[0]} --help.`;
}

async function main(): Promise<number> {
	const split = splitRootOptions(process.argv.slice(2));
	const found = findCommand(split.rest);
	if (!found) {
		const {default: meow} = await import('meow');
		const cli = meow(rootHelp, {importMeta: import.meta, argv: split.rest, autoHelp: true, autoVersion: true, flags: {}});
		if (cli.input.length > 0) {
			const grouped = unknownInGroup(cli.input);
			if (grouped) {
				process.stderr.write(`${grouped}\n`);
				return 2;
			}

			const hint = didYouMean(cli.input[0], [...new Set(commands.map((command) => command.words[0]))]);
			process.stderr.write(`openclaw: unknown command "${cli.input.join(' ')}".${hint} Run openclaw --help for the list.\n`);
			return 2;
		}

		cli.showHelp(0);
		return 0;
	}

	const {spec, args} = found;
	// As meow does: `openclaw` in ps, and the arguments (which may hold a --token) off /proc/<pid>/cmdline.
	process.title = 'openclaw';
	// meow (large) only renders --help; plain runs parse the same flag specs with node:util, which starts faster.
	let cli: {input: string[]; flags: Record<string, unknown>};
	if (wantsHelp(args)) {
		const {default: meow} = await import('meow');
		cli = meow(spec.usage, {
			importMeta: import.meta,
			// Only the flag: `gateway run --help` is `gateway --help` (meow shows no help beside positional words).
			argv: ['--help'],
			description: false,
			flags: spec.flags,
			autoHelp: true,
			autoVersion: false,
			allowUnknownFlags: false,
		});
	} else {
		cli = parseFlags(spec.flags, args, spec.words.join(' '));
	}

	const [first, ...rest] = cli.input;
	if (first !== undefined && spec.aliasWords?.includes(first)) {
		cli = {...cli, input: rest};
	} else {
		const mistyped = unknownSubcommand(spec, first);
		if (mistyped) {
			process.stderr.write(`${mistyped}\n`);
			return 2;
		}
	}

	const module = await spec.load();
	return module.run({
		input: cli.input,
		flags: cli.flags,
		profile: split.profile,
		dev: split.dev,
		env: process.env,
	});
}

// A promise chain, not top-level await: scripts/bundle-cli.mjs makes this file the entry of a CommonJS bundle.
main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		// By name as well: a bundled command (gateway, console) carries its own copy of the class.
		if (error instanceof UsageError || (error instanceof Error && error.name === 'UsageError')) {
			process.stderr.write(`openclaw: ${terminalSafe(error.message, {multiline: true})}\n`);
			process.exitCode = 2;
		} else {
			// An error nobody caught may carry a gateway's or an API's words.
			process.stderr.write(`openclaw: ${terminalSafe(error instanceof Error ? error.message : String(error), {multiline: true})}\n`);
			process.exitCode = 1;
		}
	},
);
