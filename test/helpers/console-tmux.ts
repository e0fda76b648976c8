// Drive the real `openclaw console` in a real pseudo-terminal: a tmux server on a private socket, a detached session
// of a fixed size, send-keys, capture-pane. Used by the console's end-to-end test, its bench and the README picture.
// Each of those is one tmux process; for timing, `control()` opens one control-mode client (tmux -C) that takes the
// same commands on its stdin, so a measurement is not a process start (10-20 ms here) per key or per screen read.
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';

export type TmuxConsole = {
	socket: string;
	/** The visible screen as text (one string, lines joined by \n). */
	screen(options?: {escapes?: boolean}): Promise<string>;
	/** Poll the screen until `check` returns something (or throw with the last screen after `timeoutMs`). */
	waitFor<T>(check: (screen: string) => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
	keys(...keys: string[]): Promise<void>;
	/** Resize the terminal (the console gets SIGWINCH, as with a real window). */
	resize(columns: number, rows: number): Promise<void>;
	/** The pid of the command tmux runs in the pane (the console's node process). */
	panePid(): Promise<number>;
	/** Whether the pane's command is still running. */
	alive(): Promise<boolean>;
	kill(): Promise<void>;
	/** A control-mode client on the same session, for fast key presses and screen reads (close it when done). */
	control(): Promise<TmuxControl>;
};

export type TmuxControl = {
	keys(...keys: string[]): Promise<void>;
	screen(): Promise<string>;
	close(): Promise<void>;
};

export async function tmuxAvailable(): Promise<boolean> {
	const result = await execa('tmux', ['-V'], {reject: false});
	return result.exitCode === 0;
}

/**
 * For a bench or media script that drives the built console: exits 1 with a line naming `script` and the fix when
 * `dist/cli.js` is missing or (with `tmux`) tmux is not installed, before it has started anything.
 */
export async function exitUnlessConsoleRunnable(script: string, needs: {tmux: boolean}): Promise<void> {
	if (!existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)))) {
		console.error(`${script}: dist/cli.js is missing; run \`npm run build\` first`);
		process.exit(1);
	}

	if (needs.tmux && !(await tmuxAvailable())) {
		console.error(`${script}: needs tmux (apt-get install tmux)`);
		process.exit(1);
	}
}

function shellQuote(text: string): string {
	return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * The environment of a Fleet view console in a test, bench or picture: a HOME of its own (its profiles) and a config
 * dir of its own (the console's store), a terminal that draws the box characters, and the poll period. `extra` adds
 * or replaces variables (NO_COLOR, a PATH with an ssh wrapper first, OPENCLAW_CONSOLE_STATS).
 */
export function fleetConsoleEnv(options: {home: string; configHome: string; pollMs: number; extra?: Record<string, string>}): Record<string, string | undefined> {
	return {
		PATH: process.env.PATH,
		HOME: options.home,
		XDG_CONFIG_HOME: options.configHome,
		TERM: 'xterm-256color',
		LANG: 'C.UTF-8',
		OPENCLAW_FLEET_POLL_MS: String(options.pollMs),
		...options.extra,
	};
}

export async function startTmuxConsole(options: {
	command: string[];
	env: Record<string, string | undefined>;
	columns?: number;
	rows?: number;
	cwd?: string;
}): Promise<TmuxConsole> {
	const socket = `openclaw-console-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
	const tmux = async (...args: string[]) => execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], {env: options.env, extendEnv: false, reject: false});
	const envArgs = Object.entries(options.env)
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.map(([key, value]) => `${key}=${value}`);
	// `env -i` + the explicit environment: the pane gets exactly what the caller gave, whatever tmux's defaults are.
	const command = ['env', '-i', ...envArgs, ...options.command].map((part) => shellQuote(part)).join(' ');
	const started = await tmux(
		'new-session',
		'-d',
		'-x',
		String(options.columns ?? 120),
		'-y',
		String(options.rows ?? 40),
		'-s',
		'console',
		...(options.cwd ? ['-c', options.cwd] : []),
		`${command}; echo "[console exited $?]"; sleep 600`,
	);
	if (started.exitCode !== 0) {
		throw new Error(`tmux new-session failed: ${started.stderr}`);
	}

	const screen = async ({escapes = false} = {}) => {
		const result = await tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'console');
		return result.stdout;
	};

	return {
		socket,
		screen,
		async waitFor(check, what, timeoutMs = 15_000) {
			const deadline = Date.now() + timeoutMs;
			let last = '';
			while (Date.now() < deadline) {
				last = await screen();
				const value = check(last);
				if (value !== undefined && value !== false) {
					return value;
				}

				await new Promise((resolve) => {
					setTimeout(resolve, 100);
				});
			}

			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${last}`);
		},
		async keys(...keys) {
			await tmux('send-keys', '-t', 'console', ...keys);
		},
		async resize(columns, rows) {
			await tmux('resize-window', '-t', 'console', '-x', String(columns), '-y', String(rows));
		},
		async panePid() {
			const result = await tmux('list-panes', '-t', 'console', '-F', '#{pane_pid}');
			return Number(result.stdout.trim());
		},
		async alive() {
			const text = await screen();
			return !/\[console exited \d+\]/.test(text);
		},
		async kill() {
			await tmux('kill-server');
		},
		async control() {
			return openControl(['-L', socket, '-f', '/dev/null'], options.env);
		},
	};
}

/**
 * `tmux -C attach`: commands go in as lines; each answer comes back between `%begin` and `%end` (or `%error`), in
 * order, with flags 1 on the blocks that answer this client's own commands (the attach's block has 0). `ignore-size`
 * keeps the session at its own size, `no-output` spares the pane's output notifications.
 */
async function openControl(serverArgs: string[], env: Record<string, string | undefined>): Promise<TmuxControl> {
	const child = execa('tmux', [...serverArgs, '-C', 'attach-session', '-t', 'console', '-f', 'ignore-size,no-output'], {
		env,
		extendEnv: false,
		reject: false,
		stdin: 'pipe',
		stdout: 'pipe',
	});
	const waiting: Array<{resolve: (lines: string[]) => void; reject: (error: Error) => void}> = [];
	let block: {lines: string[]; ours: boolean} | undefined;
	let buffered = '';
	child.stdout!.setEncoding('utf8');
	child.stdout!.on('data', (chunk: string) => {
		buffered += chunk;
		let newline = buffered.indexOf('\n');
		while (newline !== -1) {
			const line = buffered.slice(0, newline);
			buffered = buffered.slice(newline + 1);
			if (line.startsWith('%begin ')) {
				block = {lines: [], ours: line.split(' ')[3] === '1'};
			} else if (block && (line.startsWith('%end ') || line.startsWith('%error '))) {
				const {lines, ours} = block;
				block = undefined;
				const done = ours ? waiting.shift() : undefined;
				if (line.startsWith('%error ')) {
					done?.reject(new Error(`tmux control: ${lines.join(' ')}`));
				} else {
					done?.resolve(lines);
				}
			} else if (block) {
				block.lines.push(line);
			}

			newline = buffered.indexOf('\n');
		}
	});
	const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
	const command = async (text: string) =>
		new Promise<string[]>((resolve, reject) => {
			waiting.push({resolve, reject});
			child.stdin!.write(`${text}\n`);
		});
	await command('display-message -p ready');
	return {
		async keys(...keys) {
			await command(`send-keys -t console ${keys.map((key) => quote(key)).join(' ')}`);
		},
		async screen() {
			return (await command('capture-pane -p -t console')).join('\n');
		},
		async close() {
			child.stdin!.end();
			await child;
		},
	};
}
