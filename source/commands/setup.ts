// `openclaw setup`: a valid starter config for this profile (gateway.mode=local, a generated token, a port no other
// profile on this host uses), written atomically with mode 0600. Never overwrites an existing config without --force.
import {existsSync, mkdirSync} from 'node:fs';
import {parseConfigText} from '../protocol/config/load.js';
import {parsePort, resolvePaths, type ResolvedPaths} from '../protocol/config/paths.js';
import {serializeConfig, writeFileAtomic} from '../protocol/config/write.js';
import {Output} from '../cli-output/output.js';
import type {PortChoice} from '../config/profile-ports.js';
import {DEFAULT_PORT, DEV_PORT} from '../protocol/index.js';
import {stringFlag} from './command-target.js';
import type {setupFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';
import {newGatewayToken} from '../protocol/tokens.js';

export function starterConfig(port: number, token: string): Record<string, unknown> {
	return {
		gateway: {
			mode: 'local',
			port,
			bind: 'loopback',
			auth: {mode: 'token', token},
			reload: {mode: 'hybrid'},
		},
		logging: {level: 'info'},
	};
}

/** The profile's default port, or the next one clear of the other profiles on this host and of listeners. */
async function choosePort(paths: ResolvedPaths): Promise<PortChoice> {
	const [{pickPort, portsOfOtherProfiles}, {portBindable, findListeners}, {liveRuntime}] = await Promise.all([
		import('../config/profile-ports.js'),
		import('../protocol/listeners.js'),
		import('../protocol/locks/state-lock.js'),
	]);
	// This profile's own running gateway (a setup --force under it) does not make its port busy for it.
	const ownRunning = liveRuntime(paths.stateDir)?.port;
	return pickPort(paths.dev ? DEV_PORT : DEFAULT_PORT, portsOfOtherProfiles(paths.home, paths.stateDir), async (port) => {
		if (port === ownRunning || (await portBindable(port))) {
			return undefined;
		}

		const pids = findListeners(port);
		return pids.length > 0 ? `pid ${pids.join(', ')}` : '';
	});
}

export async function run(context: CommandContext<typeof setupFlags>): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const paths = resolvePaths({profile: context.profile, dev: context.dev}, context.env);
	const portFlag = stringFlag(context, 'port');
	if (existsSync(paths.configPath) && context.flags.force !== true) {
		const message = `config already exists at ${paths.configPath}: edit it, or pass --force to replace it with a new starter config`;
		if (output.json) {
			output.document({ok: false, configPath: paths.configPath, error: {type: 'exists', message}});
		} else {
			output.error(output.paint('fail', message));
		}

		return 1;
	}

	const {port, notes: portNotes} = portFlag === undefined ? await choosePort(paths) : {port: parsePort(portFlag, '--port'), notes: []};
	const token = newGatewayToken();
	const text = serializeConfig(starterConfig(port, token));
	parseConfigText(text, paths.configPath);
	mkdirSync(paths.stateDir, {recursive: true, mode: 0o700});
	await writeFileAtomic(paths.configPath, text, {mode: 0o600});
	const root = paths.dev ? 'openclaw --dev' : paths.profile ? `openclaw --profile ${paths.profile}` : 'openclaw';
	if (output.json) {
		output.document({ok: true, configPath: paths.configPath, stateDir: paths.stateDir, port, portNotes, profile: paths.profile ?? null});
	} else {
		output.line(`Wrote ${paths.configPath}`);
		const why = portNotes.length > 0 ? ` (${portNotes.join('; ')})` : '';
		output.line(`  gateway.mode=local, port ${port}${why}, bind loopback, token in gateway.auth.token (file mode 0600)`);
		output.line(`State dir: ${paths.stateDir}`);
		output.line(`Next: ${root} gateway    (then: ${root} gateway status)`);
	}

	return 0;
}
