// Which port a new profile's config gets: OpenClaw leaves at least 20 ports between the base ports of gateways on one
// host (browser control, canvas and CDP ports are derived from it), so `setup` steps from the profile's default port
// by 20 until it finds one that no other profile's config (or running gateway) is within 20 of and nothing listens on.
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {parseJson5} from '../protocol/config/load.js';
import {liveRuntime} from '../protocol/locks/state-lock.js';
import {DEFAULT_PORT, DEV_PORT} from '../protocol/index.js';

export const portSpacing = 20;

export type PortUse = {port: number; by: string};

export type PortChoice = {port: number; notes: string[]};

/**
 * The first port from `base` in steps of `portSpacing` clear of `used` and not busy; the notes say why each earlier
 * one was passed over. `whyBusy` answers undefined for a free port, else who holds it ('' when nobody can say).
 */
export async function pickPort(base: number, used: readonly PortUse[], whyBusy: (port: number) => Promise<string | undefined>): Promise<PortChoice> {
	const notes: string[] = [];
	for (let port = base; port <= 65_535; port += portSpacing) {
		const near = used.find((use) => Math.abs(use.port - port) < portSpacing);
		if (near) {
			notes.push(`${near.port} is used by ${near.by}`);
			continue;
		}

		const busy = await whyBusy(port);
		if (busy !== undefined) {
			notes.push(`${port} is in use${busy ? ` (${busy})` : ''}`);
			continue;
		}

		return {port, notes};
	}

	throw new Error(`no free port from ${base} up in steps of ${portSpacing}: pass --port`);
}

function profileOf(dirName: string): {name: string; dev: boolean} {
	const profile = dirName === '.openclaw' ? undefined : dirName.slice('.openclaw-'.length);
	return {name: profile === undefined ? 'the default profile' : `profile ${profile}`, dev: profile === 'dev'};
}

/**
 * The ports the other profiles on this host use: each `~/.openclaw*` state dir's config (its gateway.port, else its
 * profile's default) and the port its gateway runs on now, if it runs. `own` (this profile's state dir) is left out.
 */
export function portsOfOtherProfiles(home: string, own: string): PortUse[] {
	let entries: string[];
	try {
		entries = readdirSync(home);
	} catch {
		return [];
	}

	const uses: PortUse[] = [];
	for (const entry of entries.filter((name) => /^\.openclaw(-[\w-]+)?$/.test(name)).sort()) {
		const stateDir = path.join(home, entry);
		if (path.resolve(stateDir) === path.resolve(own)) {
			continue;
		}

		try {
			if (!statSync(stateDir).isDirectory()) {
				continue;
			}
		} catch {
			continue;
		}

		const {name, dev} = profileOf(entry);
		const configPath = path.join(stateDir, 'openclaw.json');
		let text: string | undefined;
		try {
			text = readFileSync(configPath, 'utf8');
		} catch {}

		if (text !== undefined) {
			let port: unknown;
			try {
				port = (parseJson5(text) as {gateway?: {port?: unknown}} | undefined)?.gateway?.port;
			} catch {}

			uses.push({port: Number.isInteger(port) ? (port as number) : dev ? DEV_PORT : DEFAULT_PORT, by: `${name} (${configPath})`});
		}

		const running = liveRuntime(stateDir);
		if (running) {
			uses.push({port: running.port, by: `${name}'s running gateway (pid ${running.pid})`});
		}
	}

	return uses;
}
