// `openclaw gateway`: the Gateway in the foreground (gateway/run.ts), loaded from its one-file bundle when fresh.
import {freshBundle, loadBundled} from './load-bundled.js';
import type {CommandContext, gatewayRunFlags} from './registry.js';

type RunModule = typeof import('../../gateway/run.js');

export async function run(context: CommandContext<typeof gatewayRunFlags>): Promise<number> {
	const {flags} = context;
	const bundle = freshBundle(new URL('../../gateway/run.bundle.js', import.meta.url), new URL('../../gateway/run.js', import.meta.url));
	const {runGateway} = await loadBundled<RunModule>('gateway', bundle, async () => import('../../gateway/run.js'));
	return runGateway({
		port: flags.port,
		bind: flags.bind,
		host: flags.host,
		token: flags.token,
		password: flags.password,
		force: flags.force,
		verbose: flags.verbose,
		allowUnconfigured: flags.allowUnconfigured,
		profile: context.profile,
		dev: context.dev,
		env: context.env,
	});
}
