// `openclaw gateway`: the Gateway in the foreground (gateway/run.ts), loaded from its one-file bundle when fresh.
import {freshBundle, loadBundled} from './load-bundled.js';
import type {CommandContext} from './registry.js';

type RunModule = typeof import('../../gateway/run.js');

export async function run(context: CommandContext): Promise<number> {
	const {flags} = context;
	const bundle = freshBundle(new URL('../../gateway/run.bundle.js', import.meta.url), new URL('../../gateway/run.js', import.meta.url));
	const {runGateway} = await loadBundled<RunModule>('gateway', bundle, async () => import('../../gateway/run.js'));
	return runGateway({
		port: flags.port as string | undefined,
		bind: flags.bind as string | undefined,
		host: flags.host as string | undefined,
		token: flags.token as string | undefined,
		password: flags.password as string | undefined,
		force: flags.force === true,
		verbose: flags.verbose === true,
		allowUnconfigured: flags.allowUnconfigured === true,
		profile: context.profile,
		dev: context.dev,
		env: context.env,
	});
}
