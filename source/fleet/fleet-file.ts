// The fleet file: JSON5, `{gateways: [{name, url, token | tokenFile | password}, {name, ssh, remotePort, identity,
// tokenFile}], profiles?: false}`. Parsed with zod, as the gateway's config is; every problem is named by its entry
// and key (`gateways[1] "vps": remotePort: expected a port`), and the file is refused whole, never half used.
import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import {z} from 'zod';
import {type Env} from '../protocol/config/paths.js';
import {UsageError} from '../protocol/errors.js';
import {validateGatewayUrl} from '../config/target-rules.js';
import {parseSshTarget} from '../supervisor/ssh-command.js';
import {expandPath} from './config-dir.js';
import {defaultRemotePort, type EntryOrigin, type SshEntry, type UrlEntry, type WrittenEntry} from './entry.js';

export class FleetFileError extends UsageError {
	constructor(
		readonly filePath: string,
		readonly issues: string[],
	) {
		super(`fleet file ${filePath}: ${issues.join('; ')}`);
	}
}

const nameSchema = z
	.string()
	.regex(/^[\w.@:-]{1,64}$/, 'use 1 to 64 letters, digits, ".", "_", "-", "@" or ":"');
const secret = z.string().min(1, 'must not be empty');
const auth = {token: secret.optional(), tokenFile: secret.optional(), password: secret.optional()};

const urlSchema = z
	.object({
		name: nameSchema,
		url: z.string().superRefine((url, context) => {
			try {
				validateGatewayUrl(url, 'the fleet file');
			} catch {
				context.addIssue({code: z.ZodIssueCode.custom, message: `${JSON.stringify(url)} is not a ws:// or wss:// URL`});
			}
		}),
		...auth,
	})
	.strict();

const sshSchema = z
	.object({
		name: nameSchema,
		ssh: z.string().superRefine((target, context) => {
			try {
				parseSshTarget(target);
			} catch (error) {
				context.addIssue({code: z.ZodIssueCode.custom, message: (error as Error).message});
			}
		}),
		remotePort: z.number().int().min(1).max(65_535).optional(),
		identity: z.string().min(1).optional(),
		...auth,
	})
	.strict();

const fileSchema = z.object({gateways: z.array(z.unknown()).optional(), profiles: z.boolean().optional()}).strict();

export type ParsedFleet = {entries: Array<UrlEntry | SshEntry>; profiles: boolean; warnings: string[]};

function issueText(issue: z.ZodIssue, from: number): string {
	const key = issue.path.slice(from).join('.') || '(entry)';
	const message = issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message;
	return `${key}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

/** One entry, checked: the issues (each naming the entry and key) or the entry. Shared with the console's store. */
export function parseEntry(value: unknown, label: string, origin: EntryOrigin, env: Env): {entry?: UrlEntry | SshEntry; issues: string[]} {
	const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	const named = record && typeof record.name === 'string' ? `${label} ${JSON.stringify(record.name)}` : label;
	if (!record) {
		return {issues: [`${named}: expected an object {name, url | ssh, ...}`]};
	}

	if ((record.url === undefined) === (record.ssh === undefined)) {
		return {issues: [`${named}: needs either url (ws://host:port) or ssh (user@host:port), not ${record.url === undefined ? 'neither' : 'both'}`]};
	}

	const result = record.url === undefined ? sshSchema.safeParse(record) : urlSchema.safeParse(record);
	if (!result.success) {
		return {issues: result.error.issues.map((issue) => `${named}: ${issueText(issue, 0)}`)};
	}

	const data = result.data as WrittenEntry & {remotePort?: number; identity?: string};
	const secrets = ['token', 'tokenFile', 'password'].filter((key) => (data as Record<string, unknown>)[key] !== undefined);
	if (secrets.length > 1) {
		return {issues: [`${named}: give one of token, tokenFile, password (got ${secrets.join(' and ')})`]};
	}

	// Relative paths in a file are relative to that file, as in ssh_config.
	const base = origin.path ? path.dirname(origin.path) : undefined;
	const entryAuth = {
		token: data.token,
		tokenFile: data.tokenFile === undefined ? undefined : expandPath(data.tokenFile, env, base),
		password: data.password,
	};
	if ('url' in data) {
		return {entry: {kind: 'url', name: data.name, url: data.url, auth: entryAuth, origin}, issues: []};
	}

	return {
		entry: {
			kind: 'ssh',
			name: data.name,
			ssh: data.ssh,
			remotePort: data.remotePort ?? defaultRemotePort,
			identity: data.identity === undefined ? undefined : expandPath(data.identity, env, base),
			auth: entryAuth,
			origin,
		},
		issues: [],
	};
}

/** Parse fleet file text. Throws FleetFileError with every problem found. */
export function parseFleetText(raw: string, filePath: string, env: Env): ParsedFleet {
	let parsed: unknown;
	try {
		parsed = raw.trim() === '' ? {} : JSON5.parse(raw);
	} catch (error) {
		throw new FleetFileError(filePath, [`not valid JSON5: ${(error as Error).message.replace(/^JSON5: /, '')}`]);
	}

	const top = fileSchema.safeParse(parsed);
	if (!top.success) {
		throw new FleetFileError(filePath, top.error.issues.map((issue) => issueText(issue, 0).replace(/^\(entry\)/, '(root)')));
	}

	const issues: string[] = [];
	const entries: Array<UrlEntry | SshEntry> = [];
	const seen = new Set<string>();
	for (const [index, value] of (top.data.gateways ?? []).entries()) {
		const {entry, issues: entryIssues} = parseEntry(value, `gateways[${index}]`, {source: 'file', path: filePath}, env);
		issues.push(...entryIssues);
		if (entry && seen.has(entry.name)) {
			issues.push(`gateways[${index}] ${JSON.stringify(entry.name)}: name: used by an earlier entry; names must be unique`);
		} else if (entry) {
			seen.add(entry.name);
			entries.push(entry);
		}
	}

	if (issues.length > 0) {
		throw new FleetFileError(filePath, issues);
	}

	const warnings: string[] = [];
	const inClear = entries.filter((entry) => entry.auth.token !== undefined || entry.auth.password !== undefined);
	if (inClear.length > 0 && otherUsersCanRead(filePath)) {
		warnings.push(
			`fleet file ${filePath} holds a secret in clear (${inClear.map((entry) => entry.name).join(', ')}) and others can read it. Fix: chmod 600 ${filePath}, or use tokenFile.`,
		);
	}

	return {entries, profiles: top.data.profiles ?? true, warnings};
}

function otherUsersCanRead(filePath: string): boolean {
	try {
		return (statSync(filePath).mode & 0o044) !== 0;
	} catch {
		return false;
	}
}

/**
 * Read the fleet file. A missing file is an empty fleet when it is the default location, and a usage error when the
 * operator named it (--fleet FILE): a typo must not look like a fleet of nothing.
 */
export function loadFleetFile(filePath: string, env: Env, named: boolean): ParsedFleet & {exists: boolean} {
	let raw: string;
	try {
		raw = readFileSync(filePath, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' && !named) {
			return {entries: [], profiles: true, warnings: [], exists: false};
		}

		throw new FleetFileError(filePath, [code === 'ENOENT' ? 'no such file. Fix: check the path given to --fleet' : `cannot read it (${code ?? (error as Error).message})`]);
	}

	return {...parseFleetText(raw, filePath, env), exists: true};
}
