// OpenClaw's own CLI (the pinned reference package, on its Node 24, under the loopback guard) pointed at one of our
// gateways, as its users configure it: OPENCLAW_GATEWAY_PORT and OPENCLAW_GATEWAY_TOKEN, and a client config naming
// the same port and token (`status` reads the gateway only when a config file exists). For the peers-reference-cli*
// files, which split its everyday commands so each file stays well inside the suite's per-file timeout.
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before} from 'node:test';
import {makeInstance, startGatewayProcess, type GatewayProcess, type Instance} from './cli-process.js';
import {freePort} from './gateway.js';
import {runReferenceCli} from './reference-gateway.js';

export type ReferenceCliPeer = {
	readonly instance: Instance;
	readonly gateway: GatewayProcess;
	/**
	 * Runs `openclaw <args>`: exit 0, nothing beyond loopback, and no `undefined`, unknown method or missing scope in
	 * what it prints. `refused`: hosts the CLI is known to try for this command (the guard refused them; nothing left
	 * the machine).
	 */
	run(args: string[], refused?: string[]): ReturnType<typeof runReferenceCli>;
};

/** Call inside a `describe`: starts our gateway before its tests and stops it after. */
export function referenceCliAgainstOurGateway(): ReferenceCliPeer {
	let instance: Instance | undefined;
	let gateway: GatewayProcess | undefined;
	let env: Record<string, string> = {};
	before(async () => {
		instance = await makeInstance({port: await freePort()});
		gateway = await startGatewayProcess(instance);
		const home = path.join(instance.dir, 'reference-home');
		const clientState = path.join(home, '.openclaw');
		await mkdir(clientState, {recursive: true, mode: 0o700});
		// Its own state dir: only the port and token tie it to our gateway, as for a user's remote gateway.
		const clientConfig = {gateway: {mode: 'local', port: instance.port, auth: {mode: 'token', token: instance.token}}};
		await writeFile(path.join(clientState, 'openclaw.json'), JSON.stringify(clientConfig), {mode: 0o600});
		env = {
			PATH: process.env.PATH ?? '/usr/bin:/bin',
			HOME: home,
			OPENCLAW_STATE_DIR: clientState,
			OPENCLAW_GATEWAY_PORT: String(instance.port),
			OPENCLAW_GATEWAY_TOKEN: instance.token,
		};
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
	});

	return {
		get instance() {
			return instance!;
		},
		get gateway() {
			return gateway!;
		},
		async run(args, refused = []) {
			const result = await runReferenceCli(args, env);
			const escapes = result.guard.filter((entry) => !refused.some((host) => entry.split('\n')[0].endsWith(` ${host}`)));
			assert.deepEqual(escapes, [], 'the reference CLI stayed on loopback');
			assert.equal(result.exitCode, 0, `openclaw ${args.join(' ')} exited ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
			assert.doesNotMatch(`${result.stdout}\n${result.stderr}`, /undefined|unknown method|missing scope/, `openclaw ${args.join(' ')}`);
			return result;
		},
	};
}
