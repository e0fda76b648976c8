// A command's flags parsed with node:util's parseArgs, from the same meow-style specs the registry holds. meow
// (a quarter megabyte of bundled code) is only loaded for --help; this keeps `openclaw gateway status` fast.
// Flags are accepted as --kebab-case or --camelCase and come back camelCased, as meow gives them; booleans also take
// --no-<name>. Unknown flags are usage errors.
import {parseArgs, type ParseArgsConfig} from 'node:util';
import {UsageError} from '../protocol/errors.js';

type FlagSpec = {type?: string; shortFlag?: string; default?: unknown; isMultiple?: boolean; aliases?: string[]};

export type ParsedFlags = {input: string[]; flags: Record<string, unknown>};

export function kebabCase(name: string): string {
	return name.replaceAll(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** True when argv asks for help: meow then renders it from the usage text. */
export function wantsHelp(argv: readonly string[]): boolean {
	const end = argv.indexOf('--');
	return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

export function parseFlags(specs: Record<string, FlagSpec>, argv: readonly string[], command: string): ParsedFlags {
	const options: NonNullable<ParseArgsConfig['options']> = {};
	const names = new Map<string, string>();
	const negated: Record<string, boolean> = {};
	for (const [name, spec] of Object.entries(specs)) {
		const type = spec.type === 'boolean' ? 'boolean' : 'string';
		for (const alias of new Set([name, kebabCase(name), ...(spec.aliases ?? [])])) {
			options[alias] = {type, multiple: spec.isMultiple === true, ...(alias === name && spec.shortFlag ? {short: spec.shortFlag} : {})};
			names.set(alias, name);
		}
	}

	const rest: string[] = [];
	for (const [index, arg] of argv.entries()) {
		if (arg === '--') {
			rest.push(...argv.slice(index));
			break;
		}

		const negatedName = arg.startsWith('--no-') ? names.get(arg.slice(5)) : undefined;
		if (negatedName && specs[negatedName].type === 'boolean') {
			negated[negatedName] = false;
		} else {
			rest.push(arg);
		}
	}

	let parsed: ReturnType<typeof parseArgs>;
	try {
		parsed = parseArgs({args: rest, options, strict: true, allowPositionals: true});
	} catch (error) {
		const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
		throw new UsageError(`${message} (see openclaw ${command} --help)`);
	}

	const flags: Record<string, unknown> = {};
	for (const [name, spec] of Object.entries(specs)) {
		if (spec.default !== undefined) {
			flags[name] = spec.default;
		}
	}

	for (const [alias, value] of Object.entries(parsed.values)) {
		const name = names.get(alias)!;
		flags[name] = specs[name].type === 'number' ? toNumber(value, alias, command) : value;
	}

	return {input: parsed.positionals, flags: {...flags, ...negated}};
}

function toNumber(value: unknown, alias: string, command: string): number | number[] {
	const convert = (text: unknown) => {
		const number = Number(text);
		if (typeof text !== 'string' || text.trim() === '' || Number.isNaN(number)) {
			throw new UsageError(`--${alias} needs a number, got ${JSON.stringify(text)} (see openclaw ${command} --help)`);
		}

		return number;
	};

	return Array.isArray(value) ? value.map(convert) : convert(value);
}
