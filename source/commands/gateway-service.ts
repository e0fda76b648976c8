// `openclaw gateway install|uninstall|start|stop|restart`: the service lifecycle through the ServiceController for
// this host (systemd, launchd, or the detached fallback, which it names), one command per profile at a time.
import {Output} from '../cli-output/output.js';
import {ServiceError, serviceController, type ServiceController} from '../supervisor/service.js';
import {commandTarget, localPort} from './command-target.js';
import type {serviceFlags} from './operator-commands.js';
import type {CommandContext, CommandModule} from './registry.js';

export type LifecycleAction = 'install' | 'uninstall' | 'start' | 'stop' | 'restart';

/**
 * Install writes the definition and starts it: on a port another process holds, the start can only fail, and the
 * definition left behind would show as "stopped" (and, under systemd, retry). Refused before anything is written.
 */
async function refuseBusyPort(controller: ServiceController): Promise<void> {
	const {pid: ours} = await controller.status();
	const {portListeners} = await import('../supervisor/service-port-owner.js');
	const others = portListeners(controller.plan.port, ours === undefined ? [] : [ours]).filter((pid) => pid !== ours && pid !== process.pid);
	if (others.length > 0) {
		throw new ServiceError(
			`port ${controller.plan.port} is busy (pid ${others.join(', ')}; another gateway?): stop it first, or choose another port with --port or gateway.port; nothing was installed`,
			'config',
		);
	}
}

export async function runAction(action: LifecycleAction, context: CommandContext<typeof serviceFlags>): Promise<number> {
	const output = new Output({json: context.flags.json === true, env: context.env});
	const target = await commandTarget(context);
	if (target.configError && (action === 'install' || action === 'start' || action === 'restart')) {
		const error = new ServiceError(`${target.configError.message}\nFix the config first (openclaw doctor shows the problems).`, 'config');
		if (output.json) {
			output.document({ok: false, action, error: {type: 'config_error', message: error.message}});
		} else {
			output.error(output.paint('fail', error.message));
		}

		return error.exitCode;
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
				if (action === 'install') {
					await refuseBusyPort(controller);
				}

				const lines = await controller[action]();
				return {lines, status: await controller.status()};
			},
			{onNotice: (line) => output.notice(line)},
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
			output.document({ok: false, action, error: {type: error.failure === 'config' ? 'config_error' : 'service_error', message: error.message}});
		} else {
			output.error(output.paint('fail', `gateway ${action} failed: ${error.message}`));
		}

		return error.exitCode;
	}
}

export function forAction(action: LifecycleAction): CommandModule<typeof serviceFlags> {
	return {run: async (context) => runAction(action, context)};
}
