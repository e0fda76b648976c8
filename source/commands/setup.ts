// `openclaw setup`: a valid starter config for this profile (gateway.mode=local, a generated token, the profile's
// port), written atomically with mode 0600. Never overwrites an existing config without --force.
import {randomBytes} from 'node:crypto';
import {existsSync, mkdirSync} from 'node:fs';
import {parseConfigText} from '../../gateway/config/load.js';
import {parsePort, resolvePaths} from '../../gateway/config/paths.js';
import {serializeConfig, writeFileAtomic} from '../../gateway/config/write.js';
import {Output} from '../cli-output/output.js';
import {DEFAULT_PORT, DEV_PORT} from '../protocol/index.js';
import {stringFlag} from './command-target.js';
import type {CommandContext} from './registry.js';

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

export async function run(context: CommandContext): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const paths = resolvePaths({profile: context.profile, dev: context.dev}, context.env);
	const portFlag = stringFlag(context, 'port');
	const port = portFlag === undefined ? (paths.dev ? DEV_PORT : DEFAULT_PORT) : parsePort(portFlag, '--port');
	if (existsSync(paths.configPath) && context.flags.force !== true) {
		const message = `config already exists at ${paths.configPath}: edit it, or pass --force to replace it with a new starter config`;
		if (output.json) {
			output.document({ok: false, configPath: paths.configPath, error: {type: 'exists', message}});
		} else {
			output.error(output.paint('fail', message));
		}

		return 1;
	}

	const token = randomBytes(24).toString('base64url');
	const text = serializeConfig(starterConfig(port, token));
	parseConfigText(text, paths.configPath);
	mkdirSync(paths.stateDir, {recursive: true, mode: 0o700});
	await writeFileAtomic(paths.configPath, text, {mode: 0o600});
	const root = paths.dev ? 'openclaw --dev' : paths.profile ? `openclaw --profile ${paths.profile}` : 'openclaw';
	if (output.json) {
		output.document({ok: true, configPath: paths.configPath, stateDir: paths.stateDir, port, profile: paths.profile ?? null});
	} else {
		output.line(`Wrote ${paths.configPath}`);
		output.line(`  gateway.mode=local, port ${port}, bind loopback, token in gateway.auth.token (file mode 0600)`);
		output.line(`State dir: ${paths.stateDir}`);
		output.line(`Next: ${root} gateway    (then: ${root} gateway status)`);
	}

	return 0;
}
