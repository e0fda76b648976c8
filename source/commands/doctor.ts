// `openclaw doctor [--fix]`: one line per check (--all: every profile of this host, see doctor-all.ts) (ok / warn / fail, with the fix); --fix applies the safe repairs
// and says what it did. Exit 1 if a check still fails.
import {findListeners} from '../protocol/listeners.js';
import {liveRuntime} from '../protocol/locks/state-lock.js';
import {pendingPortOf} from '../config/target-rules.js';
import {Output} from '../cli-output/output.js';
import {serviceController, type ServiceController} from '../supervisor/service.js';
import {commandTarget, localPort} from './command-target.js';
import {runChecks, type CheckResult} from './doctor-checks.js';
import {logSignatureChecks, logTailLimits} from './doctor-log.js';
import {printChecks} from './doctor-report.js';
import {doctorLog} from './logs-local.js';
import type {GatewayTarget} from '../config/target.js';
import type {Env} from '../protocol/config/paths.js';
import type {doctorFlags} from './operator-commands.js';
import type {CommandContext} from './registry.js';

/** Does what listens on the port answer like an OpenClaw gateway (`/healthz` JSON with `ok`)? */
async function answersAsGateway(port: number): Promise<boolean> {
	const {request} = await import('node:http');
	return new Promise((resolve) => {
		// A ref'd timer: fetch's AbortSignal.timeout is unref'd, and a peer that drops the socket can leave nothing
		// else keeping the process alive.
		const timer = setTimeout(() => {
			req.destroy();
			resolve(false);
		}, 1500);
		const done = (answer: boolean) => {
			clearTimeout(timer);
			resolve(answer);
		};

		const req = request({host: '127.0.0.1', port, path: '/healthz', method: 'GET'}, (response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				body += chunk;
			});
			response.on('end', () => {
				try {
					const parsed = JSON.parse(body) as unknown;
					done(typeof parsed === 'object' && parsed !== null && 'ok' in parsed);
				} catch {
					done(false);
				}
			});
			response.on('error', () => done(false));
		});
		req.on('error', () => done(false));
		req.end();
	});
}

/** The local log's recent tail (ours or OpenClaw's, the newest), searched for known failure signatures (a remote gateway's log is not on this host). */
async function readLogChecks(target: GatewayTarget, env: Env, gatewayUp: boolean): Promise<CheckResult[]> {
	if (target.urlSource !== 'local') {
		return [{id: 'log', verdict: 'ok', message: 'the gateway is not local: its log is not on this host (openclaw logs reads it)'}];
	}

	try {
		const log = await doctorLog(target, env, {...logTailLimits});
		return logSignatureChecks({file: log?.file, lines: log?.lines ?? [], gatewayUp});
	} catch (error) {
		return [{id: 'log', verdict: 'warn', message: `the local log could not be read: ${(error as Error).message}`}];
	}
}

export async function run(context: CommandContext<typeof doctorFlags>): Promise<number> {
	if (context.flags.all === true) {
		const {runAll} = await import('./doctor-all.js');
		return runAll(context);
	}

	const output = new Output({json: context.flags.json === true, env: context.env});
	const fix = context.flags.fix === true || context.flags.repair === true;
	// The port check says the pending change itself: no stderr notice on top of it.
	const target = await commandTarget(context, 'full', {pendingPort: false});
	const configured = localPort(context, target);
	// The profile's running gateway (its runtime record) is checked where it listens, even when the file now names another port.
	const pendingPort = pendingPortOf(liveRuntime(target.paths.stateDir), configured.port, configured.source);
	const port = pendingPort?.running ?? configured.port;
	let controller: ServiceController | undefined;
	let controllerError: string | undefined;
	try {
		controller = await serviceController({paths: target.paths, port: configured.port, env: context.env, credentials: target});
	} catch (error) {
		controllerError = (error as Error).message;
	}

	const listeners = findListeners(port);
	const listenerIsGateway = await answersAsGateway(port);
	const results: Array<CheckResult & {fixed?: string; repairError?: string}> = runChecks({target, port, pendingPort, controller, controllerError, listeners, listenerIsGateway});
	results.push(...(await readLogChecks(target, context.env, listenerIsGateway)));
	if (fix) {
		for (const result of results) {
			if (result.verdict !== 'ok' && result.repair) {
				try {
					result.fixed = await result.repair();
				} catch (error) {
					result.repairError = (error as Error).message;
				}
			}
		}
	}

	const failed = results.filter((result) => result.verdict === 'fail' && !result.fixed);
	if (output.json) {
		output.document({
			ok: failed.length === 0,
			checks: results.map(({repair, ...rest}) => ({...rest, repairable: repair !== undefined})),
		});
		return failed.length === 0 ? 0 : 1;
	}

	const warned = printChecks(output, results, {fixing: fix, fixCommand: 'openclaw doctor --fix'});
	output.line(`${failed.length} failed, ${warned} warnings, ${results.length - failed.length - warned} ok`);
	return failed.length === 0 ? 0 : 1;
}
