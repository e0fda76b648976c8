// The version we report (`hello-ok.server.version`, `status`): OPENCLAW_VERSION if set, else package.json's.
import {readFileSync} from 'node:fs';

let cached: string | undefined;

export function gatewayVersion(): string {
	const fromEnv = process.env.OPENCLAW_VERSION?.trim();
	if (fromEnv) {
		return fromEnv;
	}

	if (cached === undefined) {
		cached = '0.0.0';
		// Source runs from <root>/gateway, compiled runs from <root>/dist/gateway: try both.
		for (const relative of ['../package.json', '../../package.json']) {
			try {
				const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {name?: string; version?: string};
				if (pkg.name === 'openclaw-console' && pkg.version) {
					cached = pkg.version;
					break;
				}
			} catch {}
		}
	}

	return cached;
}
