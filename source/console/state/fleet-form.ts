// The Fleet view's "add gateway" form (`a`): its fields, what each key does to them, and the check made on Enter.
// The check is the fleet file's own (parseEntry): a form entry is refused for exactly what a fleet file entry would
// be, and each problem is shown under the field it concerns. Pure: the caller passes the environment and cwd.
import path from 'node:path';
import type {Env} from '../../protocol/config/paths.js';
import type {WrittenEntry} from '../../fleet/entry.js';
import {parseEntry} from '../../fleet/fleet-file.js';

export const formFields = ['name', 'where', 'auth', 'secret'] as const;
export type FormField = (typeof formFields)[number];

/** How the gateway takes its credential: a token or a password typed here (kept in the 0600 store), a file holding a token, or none. */
export const authKinds = ['token', 'tokenFile', 'password', 'none'] as const;
export type AuthKind = (typeof authKinds)[number];

export type FleetForm = {
	name: string;
	where: string;
	auth: AuthKind;
	/** The token, the token file's path or the password (per `auth`). */
	secret: string;
	focus: FormField;
	errors: Partial<Record<FormField, string>>;
};

export type FormAction =
	| {type: 'form/focus'; delta: 1 | -1}
	| {type: 'form/type'; text: string}
	| {type: 'form/erase'}
	| {type: 'form/auth'; delta: 1 | -1}
	| {type: 'form/errors'; errors: Partial<Record<FormField, string>>};

export const emptyForm: FleetForm = {name: '', where: '', auth: 'token', secret: '', focus: 'name', errors: {}};

/** The fields Tab visits: no secret to type when the gateway takes none. */
export function activeFields(form: FleetForm): FormField[] {
	return formFields.filter((field) => field !== 'secret' || form.auth !== 'none');
}

type TextField = 'name' | 'where' | 'secret';

function isText(field: FormField): field is TextField {
	return field !== 'auth';
}

/** What a terminal may paste into a field: no control characters (a pasted newline is not Enter). */
function printable(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replaceAll(/[\u0000-\u001F\u007F-\u009F]/g, '');
}

function withoutError(form: FleetForm, field: FormField): FleetForm['errors'] {
	if (form.errors[field] === undefined) {
		return form.errors;
	}

	const {[field]: _dropped, ...rest} = form.errors;
	return rest;
}

export function fleetFormReducer(form: FleetForm, action: FormAction): FleetForm {
	switch (action.type) {
		case 'form/focus': {
			const fields = activeFields(form);
			const index = Math.max(0, fields.indexOf(form.focus));
			return {...form, focus: fields[(index + action.delta + fields.length) % fields.length]};
		}

		case 'form/type': {
			const text = printable(action.text);
			if (!isText(form.focus) || text === '') {
				return form;
			}

			return {...form, [form.focus]: form[form.focus] + text, errors: withoutError(form, form.focus)};
		}

		case 'form/erase': {
			if (!isText(form.focus) || form[form.focus] === '') {
				return form;
			}

			return {...form, [form.focus]: [...form[form.focus]].slice(0, -1).join(''), errors: withoutError(form, form.focus)};
		}

		case 'form/auth': {
			const auth = authKinds[(authKinds.indexOf(form.auth) + action.delta + authKinds.length) % authKinds.length];
			// A problem with the old kind's secret says nothing about the new one.
			return {...form, auth, errors: withoutError({...form, errors: withoutError(form, 'auth')}, 'secret')};
		}

		case 'form/errors':
			return {...form, errors: action.errors};
		default:
			return form;
	}
}

export const whereHint = 'a ws:// or wss:// URL, or ssh user@host[:port] [:remote-port] [-i identity]';

type Where = {url: string} | {ssh: string; remotePort?: number; identity?: string};

/** The where field: a gateway URL, or `ssh user@host[:port] [:remote-port] [-i identity]` (as the row's where reads). */
export function parseWhere(text: string): {where?: Where; error?: string} {
	const trimmed = text.trim();
	if (trimmed === '') {
		return {error: `empty: ${whereHint}`};
	}

	const words = trimmed.split(/\s+/);
	if (words[0] !== 'ssh') {
		// Anything with a scheme goes to the fleet file's URL check, which says what is wrong with it.
		return words.length === 1 && /^[a-z][\w+.-]*:\/\//i.test(trimmed) ? {where: {url: trimmed}} : {error: `expected ${whereHint}`};
	}

	if (words.length < 2) {
		return {error: 'ssh needs user@host[:port]'};
	}

	const where: {ssh: string; remotePort?: number; identity?: string} = {ssh: words[1]};
	for (let index = 2; index < words.length; index++) {
		const word = words[index];
		if (/^:\d+$/.test(word) && where.remotePort === undefined) {
			where.remotePort = Number(word.slice(1));
		} else if (word === '-i' && index + 1 < words.length && where.identity === undefined) {
			where.identity = words[++index];
		} else {
			return {error: `unexpected ${JSON.stringify(word)}: write ssh user@host[:port] [:remote-port] [-i identity]`};
		}
	}

	return {where};
}

/** Which field a fleet-file key belongs to. */
const fieldOfKey: Record<string, FormField> = {name: 'name', url: 'where', ssh: 'where', remotePort: 'where', identity: 'where', token: 'secret', tokenFile: 'secret', password: 'secret'};

export type FormContext = {
	env: Env;
	/** Relative paths typed in the form are relative to where the console was started (as on its command line). */
	cwd: string;
	/** The names the fleet already uses, and where each one is. */
	taken: Readonly<Record<string, string>>;
};

function absolute(value: string, cwd: string): string {
	return value.startsWith('~') || path.isAbsolute(value) ? value : path.resolve(cwd, value);
}

/** The entry the form describes, checked as a fleet file's entry is; or the problems, one per field. */
export function formEntry(form: FleetForm, context: FormContext): {entry: WrittenEntry} | {errors: Partial<Record<FormField, string>>} {
	const errors: Partial<Record<FormField, string>> = {};
	const name = form.name.trim();
	const {where, error} = parseWhere(form.where);
	if (error) {
		errors.where = error;
	}

	if (context.taken[name] !== undefined) {
		errors.name = `already used by ${context.taken[name]}`;
	}

	const secret = form.secret.trim();
	const auth: Partial<Record<'token' | 'tokenFile' | 'password', string>> =
		form.auth === 'token' ? {token: secret} : form.auth === 'tokenFile' ? {tokenFile: secret === '' ? '' : absolute(secret, context.cwd)} : form.auth === 'password' ? {password: form.secret} : {};
	const written = {name, ...(where ?? {url: 'ws://127.0.0.1:1'}), ...auth} as WrittenEntry;
	if ('identity' in written && written.identity !== undefined) {
		written.identity = absolute(written.identity, context.cwd);
	}

	const label = 'gateway';
	const prefix = `${label} ${JSON.stringify(name)}: `;
	for (const issue of parseEntry(written, label, {source: 'console'}, context.env).issues) {
		const text = issue.startsWith(prefix) ? issue.slice(prefix.length) : issue;
		const separator = text.indexOf(': ');
		const key = separator === -1 ? '' : text.slice(0, separator);
		const field = fieldOfKey[key] ?? 'where';
		// The where field's own check already said it better than the placeholder URL's.
		if (errors[field] === undefined && !(field === 'where' && !where)) {
			errors[field] = key === 'name' || key === 'url' || key === 'ssh' ? text.slice(separator + 2) : text;
		}
	}

	return Object.keys(errors).length > 0 ? {errors} : {entry: written};
}

export type FormLine = {field: FormField; label: string; value: string; focused: boolean; error?: string; hint: string};

const authLabels: Record<AuthKind, string> = {token: 'token', tokenFile: 'token file', password: 'password', none: 'none'};

/** What the form shows, field by field: a typed token masked, the credential kinds with the chosen one marked. */
export function formLines(form: FleetForm): FormLine[] {
	const line = (field: FormField, label: string, value: string, hint: string): FormLine => ({field, label, value, focused: form.focus === field, error: form.errors[field], hint});
	const lines = [
		line('name', 'name', form.name, 'the row\'s name: letters, digits, ".", "_", "-", "@", ":"'),
		line('where', 'where', form.where, whereHint),
		line('auth', 'credential', authKinds.map((kind) => (kind === form.auth ? `[${authLabels[kind]}]` : ` ${authLabels[kind]} `)).join(' '), 'Left/Right or Space: token or password (kept in the 0600 store), a token file (read at each connect), or none'),
	];
	if (form.auth === 'token' || form.auth === 'password') {
		lines.push(line('secret', form.auth, '•'.repeat([...form.secret].length), "kept in the console's store, mode 0600; never shown"));
	} else if (form.auth === 'tokenFile') {
		lines.push(line('secret', 'token file', form.secret, 'a path (relative to where the console started, or ~/...)'));
	}

	return lines;
}

export const formHint = 'Tab/Shift-Tab: field · Left/Right: credential kind · Enter: save · Esc: cancel';
