// Where a command's words go: plain lines to stdout, notices and errors to stderr, or one JSON document with --json.
// A closed pipe (`openclaw logs | head`) ends the command quietly instead of throwing EPIPE.
import {paint, paintCodes, type Role} from './color.js';
import {terminalTextKeepingSgr} from './terminal-text.js';

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

	constructor(options: OutputOptions) {
		this.json = options.json;
		this.stdout = options.stdout ?? process.stdout;
		this.stderr = options.stderr ?? process.stderr;
		const env = options.env ?? process.env;
		this.color = !options.json && this.stdout.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
		exitQuietlyOnClosedPipe(this.stdout);
	}

	// Human lines quote gateway answers (channel errors, config keys, log text): made terminal-safe here, the one
	// place they reach the terminal, keeping only paint's own colour codes. JSON needs nothing: it escapes controls.
	line(text = ''): void {
		this.stdout.write(`${terminalTextKeepingSgr(text, paintCodes)}\n`);
	}

	/** A notice for humans that must not mix into stdout (markers, progress); also used in --json mode. */
	notice(text: string): void {
		this.stderr.write(`${terminalTextKeepingSgr(text, paintCodes)}\n`);
	}

	error(text: string): void {
		this.stderr.write(`${terminalTextKeepingSgr(text, paintCodes)}\n`);
	}

	document(value: unknown): void {
		this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
	}

	/** One JSON value per line (`logs --json`). */
	record(value: unknown): void {
		this.stdout.write(`${JSON.stringify(value)}\n`);
	}

	paint(role: Role, text: string): string {
		return this.color ? paint(role, text) : text;
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
