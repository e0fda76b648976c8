// `openclaw gateway install|uninstall|start|stop|restart`: the service lifecycle through the ServiceController for
// this host (systemd, launchd, or the detached fallback, which it names), one command per profile at a time.
import {Output} from '../cli-output/output.js';
import {ServiceError, serviceController} from '../supervisor/service.js';
import {commandTarget, localPort} from './command-target.js';
import type {CommandContext, CommandModule} from './registry.js';

export type LifecycleAction = 'install' | 'uninstall' | 'start' | 'stop' | 'restart';

export async function runAction(action: LifecycleAction, context: CommandContext): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const target = await commandTarget(context);
	if (target.configError && (action === 'install' || action === 'start' || action === 'restart')) {
		output.error(output.paint('fail', `${target.configError.message}\nFix the config first (openclaw doctor shows the problems).`));
		return 1;
	}

	const {port} = localPort(context, target);
	try {
		const controller = await serviceController({paths: target.paths, port, env: context.env, credentials: target});
		if (controller.note && !output.json) {
			output.notice(`Note: ${controller.note}.`);
		}

		const {withLifecycleLock} = await import('../supervisor/lifecycle-lock.js');
		const {lines, status} = await withLifecycleLock(
			target.paths.stateDir,
			action,
			async () => {
				const lines = await controller[action]();
				return {lines, status: await controller.status()};
			},
			{onWait: (line) => output.notice(line)},
		);
		if (output.json) {
			output.document({ok: true, action, manager: controller.manager, label: controller.label, note: controller.note ?? null, lines, service: status});
		} else {
			for (const line of lines) {
				if (!line.startsWith('Note: ')) {
					output.line(line);
				}
			}
		}

		return 0;
	} catch (error) {
		if (!(error instanceof ServiceError)) {
			throw error;
		}

		if (output.json) {
			output.document({ok: false, action, error: {type: 'service_error', message: error.message}});
		} else {
			output.error(output.paint('fail', `gateway ${action} failed: ${error.message}`));
		}

		return 1;
	}
}

export function forAction(action: LifecycleAction): CommandModule {
	return {run: async (context) => runAction(action, context)};
}
