// A profile of this host as a service: what `openclaw --profile NAME gateway start|stop` acts on (systemd user unit,
// launchd agent, or the detached fallback), so the Fleet view's S starts and stops it as the CLI would.
import {serviceController, type ServiceController} from '../supervisor/service.js';
import type {Env} from '../protocol/config/paths.js';
import type {ProfileEntry} from './entry.js';
import {profileEnv, profileTarget} from './profiles.js';

export async function profileService(entry: ProfileEntry, env: Env): Promise<ServiceController> {
	const target = await profileTarget(entry, env);
	if (target.port === undefined) {
		throw new Error(`profile ${entry.profile ?? 'default'} names no local port (gateway.mode remote?): nothing here to start`);
	}

	return serviceController({
		paths: target.paths,
		port: target.port,
		env: profileEnv(entry, env) as NodeJS.ProcessEnv,
		credentials: {url: target.url, token: target.token, password: target.password},
	});
}
