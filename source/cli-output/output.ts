// Where a command's words go: plain lines to stdout, notices and errors to stderr, or one JSON document with --json.
// A closed pipe (`openclaw logs | head`) ends the command quietly instead of throwing EPIPE.
//
// Human output is made terminal-safe here, as it is written: gateway answers, channel API errors, log lines and
// close reasons are interpolated into these lines by every command, so no command can forget it. Our own colours
// must survive that, so paint() puts no escape codes in the text: it puts markers that carry a random key of this
// Output (which no gateway or API can guess), and they become SGR codes only after the rest is safe.
import {randomBytes} from 'node:crypto';
import {colourCode, roles, type Role} from './color.js';
import {terminalSafe, terminalSafeJson} from './terminal-safe.js';

export type OutputOptions = {
	json: boolean;
	stdout?: NodeJS.WriteStream;
	stderr?: NodeJS.WriteStream;
	env?: NodeJS.ProcessEnv;
};

export class Output {
	readonly json: boolean;
	readonly color: boolean;
	private readonly stdout: NodeJS.WriteStream;
	private readonly stderr: NodeJS.WriteStream;
	private readonly colourKey = randomBytes(12).toString('hex');
	private readonly colourMarker = new RegExp(`\uFFF9${this.colourKey}(/?)(${roles.join('|')})\uFFFA`, 'g');

	constructor(options: OutputOptions) {
		this.json = options.json;
		this.stdout = options.stdout ?? process.stdout;
		this.stderr = options.stderr ?? process.stderr;
		const env = options.env ?? process.env;
		this.color = !options.json && this.stdout.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
		exitQuietlyOnClosedPipe(this.stdout);
	}

	line(text = ''): void {
		this.stdout.write(`${this.humanText(text)}\n`);
	}

	/** A notice for humans that must not mix into stdout (markers, progress); also used in --json mode. */
	notice(text: string): void {
		this.stderr.write(`${this.humanText(text)}\n`);
	}

	error(text: string): void {
		this.stderr.write(`${this.humanText(text)}\n`);
	}

	document(value: unknown): void {
		this.stdout.write(`${terminalSafeJson(JSON.stringify(value, null, 2))}\n`);
	}

	/** One JSON value per line (`logs --json`). */
	record(value: unknown): void {
		this.stdout.write(`${terminalSafeJson(JSON.stringify(value))}\n`);
	}

	/** `text` in the role's colour when colour is on; it may be put inside a longer line given to line(). */
	paint(role: Role, text: string): string {
		return this.color ? `\uFFF9${this.colourKey}${role}\uFFFA${text}\uFFF9${this.colourKey}/${role}\uFFFA` : text;
	}

	/** `text` made terminal-safe, line feeds and tabs kept, with the colours paint() marked turned into SGR codes. */
	private humanText(text: string): string {
		// split() with the marker's two groups gives: text, closing slash, role, text, closing slash, role, ..., text.
		const parts = text.split(this.colourMarker);
		let out = terminalSafe(parts[0], {multiline: true});
		for (let index = 1; index < parts.length; index += 3) {
			out += colourCode(parts[index + 1] as Role, parts[index] === '/') + terminalSafe(parts[index + 2], {multiline: true});
		}

		return out;
	}
}

const guarded = new WeakSet<NodeJS.WriteStream>();

function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
	if (guarded.has(stream)) {
		return;
	}

	guarded.add(stream);
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') {
			// The reader is gone (`| head`): nothing left to say, and a stack trace would be noise.
			process.exit(0);
		}

		throw error;
	});
}
