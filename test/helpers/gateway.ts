// Test helpers: a real gateway on a free loopback port, raw sockets that record every frame, temp dirs.
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import {hashConfigText, type LoadedConfig} from '../../source/protocol/config/load.js';
import {Logger} from '../../gateway/logger.js';
import {buildServices} from '../../gateway/assemble.js';
import {GatewayServer, type GatewayServerOptions} from '../../gateway/server.js';

export const testToken = 'test-token-0123456789';

export async function tempDir(prefix = 'openclaw-test-'): Promise<{dir: string; cleanup: () => Promise<void>}> {
	const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
	return {dir, cleanup: async () => rm(dir, {recursive: true, force: true})};
}

export {freeLoopbackPort as freePort} from '../../source/supervisor/loopback.js';

export function emptyConfig(configPath: string): LoadedConfig {
	return {path: configPath, exists: false, raw: '', config: {}, hash: hashConfigText('')};
}

export type TestGateway = {
	server: GatewayServer;
	url: string;
	port: number;
	token: string;
	stateDir: string;
	stop(): Promise<void>;
};

export async function startTestGateway(overrides: Partial<GatewayServerOptions> = {}): Promise<TestGateway> {
	const {dir, cleanup} = await tempDir();
	const configPath = path.join(dir, 'openclaw.json');
	const logger = overrides.logger ?? new Logger({level: 'silent'});
	const server = new GatewayServer({
		host: '127.0.0.1',
		port: 0,
		auth: {mode: 'token', token: testToken},
		stateDir: dir,
		configPath,
		config: emptyConfig(configPath),
		logger,
		services: buildServices({stateDir: dir, configPath, logger}),
		...overrides,
	});
	await server.start();
	return {
		server,
		url: `ws://127.0.0.1:${server.port}`,
		port: server.port,
		token: testToken,
		stateDir: dir,
		async stop() {
			await server.stop();
			await cleanup();
		},
	};
}

/** A raw WebSocket that queues every frame it receives, for asserting exact wire behaviour. */
export class RawSocket {
	readonly frames: any[] = [];
	readonly ws: WebSocket;
	closed?: {code: number; reason: string};
	private waiters: Array<() => void> = [];
	readonly opened: Promise<void>;

	constructor(url: string, options: WebSocket.ClientOptions = {}) {
		this.ws = new WebSocket(url, {perMessageDeflate: false, ...options});
		this.opened = new Promise((resolve, reject) => {
			this.ws.once('open', () => resolve());
			this.ws.once('error', reject);
			this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
		});
		this.ws.on('error', () => {});
		this.ws.on('message', (data) => {
			try {
				this.frames.push(JSON.parse(data.toString()));
			} catch {
				this.frames.push({unparsable: data.toString()});
			}

			this.wake();
		});
		this.ws.on('close', (code, reason) => {
			this.closed = {code, reason: reason.toString()};
			this.wake();
		});
	}

	private wake(): void {
		const waiters = this.waiters;
		this.waiters = [];
		for (const waiter of waiters) {
			waiter();
		}
	}

	private async waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = check();
			if (value !== undefined) {
				return value;
			}

			const remaining = deadline - Date.now();
			if (remaining <= 0) {
				throw new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames).slice(0, 500)}; closed: ${JSON.stringify(this.closed)}`);
			}

			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, remaining);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	/** The first received frame matching `predicate` (waits for it). */
	async frame(predicate: (frame: any) => boolean, timeoutMs = 5000): Promise<any> {
		return this.waitFor(() => this.frames.find(predicate), timeoutMs, 'a matching frame');
	}

	async response(id: string, timeoutMs = 5000): Promise<any> {
		return this.frame((frame) => frame.type === 'res' && frame.id === id, timeoutMs);
	}

	async event(name: string, timeoutMs = 5000): Promise<any> {
		return this.frame((frame) => frame.type === 'event' && frame.event === name, timeoutMs);
	}

	async closedWith(timeoutMs = 5000): Promise<{code: number; reason: string}> {
		return this.waitFor(() => this.closed, timeoutMs, 'close');
	}

	send(frame: unknown): void {
		this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
	}

	/** Send `connect` and wait for its response. */
	async connect(params: Record<string, unknown> = {}, id = 'c1'): Promise<any> {
		await this.opened;
		this.send({type: 'req', id, method: 'connect', params: connectParams(params)});
		return this.response(id);
	}

	async call(method: string, params?: unknown, id = `r${Math.random().toString(36).slice(2)}`): Promise<any> {
		this.send({type: 'req', id, method, ...(params === undefined ? {} : {params})});
		return this.response(id);
	}

	close(): void {
		this.ws.close();
	}
}

export function connectParams(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		minProtocol: 4,
		maxProtocol: 4,
		client: {id: 'cli', version: '1.0.0', platform: 'linux', mode: 'cli'},
		role: 'operator',
		scopes: ['operator.read'],
		auth: {token: testToken},
		...overrides,
	};
}

/** Open, connect and return an authenticated raw socket. */
export async function authedSocket(url: string, params: Record<string, unknown> = {}): Promise<RawSocket> {
	const socket = new RawSocket(url);
	const res = await socket.connect(params);
	if (!res.ok) {
		throw new Error(`connect failed: ${JSON.stringify(res.error)}`);
	}

	return socket;
}
