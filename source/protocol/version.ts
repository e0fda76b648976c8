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
		// Up from this file: <root>/gateway (source), <root>/dist/gateway (compiled), or wherever a bundle put it.
		let url = new URL('package.json', import.meta.url);
		for (let level = 0; level < 6; level++) {
			try {
				const pkg = JSON.parse(readFileSync(url, 'utf8')) as {name?: string; version?: string};
				if (pkg.name === 'openclaw-console' && pkg.version) {
					cached = pkg.version;
					break;
				}
			} catch {}

			url = new URL('../package.json', url);
		}
	}

	return cached;
}
