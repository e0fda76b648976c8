import {runGateway} from '../../gateway/run.js';
import type {CommandContext} from './registry.js';

export async function run(context: CommandContext): Promise<number> {
	const {flags} = context;
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
