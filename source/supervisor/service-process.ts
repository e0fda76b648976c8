// Process and port checks for supervising a gateway by pid: is it alive, is it really a gateway (not a recycled pid),
// wait for it to exit, wait for its port to accept connections.
import {readFileSync} from 'node:fs';
import net from 'node:net';
import {isAlive} from '../protocol/locks/process-identity.js';

export {isAlive, looksLikeGateway} from '../protocol/locks/process-identity.js';

export function readPidFile(file: string): number | undefined {
	try {
		const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!isAlive(pid)) {
			return true;
		}

		await sleep(50);
	}

	return !isAlive(pid);
}

export async function portAccepts(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({port, host});
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};

		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

/** Poll until the port accepts, `gaveUp()` says stop (the process died), or the deadline passes. */
export async function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (gaveUp()) {
			return false;
		}

		if (await portAccepts(port)) {
			return true;
		}

		await sleep(100);
	}

	return false;
}
