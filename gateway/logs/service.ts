// The logs feature as a gateway service: `logs.tail`, the `logging` part of `health`, the throttled
// `logs.appended` event, and hot reload of `logging.*`.
import {events} from '../../source/protocol/index.js';
import {logsTailMethod} from '../methods/logs-tail.js';
import type {GatewayRuntime} from '../runtime.js';
import type {GatewayService} from '../service.js';
import {applyLoggingConfig, type GatewayLogging} from './runtime.js';

/** At most this many `logs.appended` events per second: a follower needs a nudge, not one event per line. */
const appendedEventsPerSecond = 10;

export function logsService(logging: GatewayLogging, options: {ownsWriter?: boolean} = {}): GatewayService {
	let gateway: GatewayRuntime | undefined;
	let timer: NodeJS.Timeout | undefined;
	let lastSent = 0;
	const send = () => {
		timer = undefined;
		lastSent = Date.now();
		const end = logging.writer.end;
		gateway?.broadcast(events.logsAppended, {cursor: end, size: end}, {dropIfSlow: true});
	};

	const onAppended = () => {
		if (timer || !gateway) {
			return;
		}

		const wait = Math.max(0, lastSent + 1000 / appendedEventsPerSecond - Date.now());
		timer = setTimeout(send, wait);
		timer.unref();
	};

	const onFault = (error: string) => {
		// Reaches stdio (and followers once the file is back); the file itself is what failed.
		process.stderr.write(`${new Date().toISOString()} ERROR gateway/logs ${error}; lines are dropped until it is writable again\n`);
	};

	const onRecovered = (dropped: number) => {
		logging.logger.child('gateway/logs').warn('log file writable again', {droppedLines: dropped, file: logging.writer.path});
	};

	return {
		name: 'logs',
		methods: [logsTailMethod(() => ({writer: logging.writer, redact: (line) => logging.redactor.redact(line)}))],
		health() {
			return {logging: logging.writer.status()};
		},
		start(runtime) {
			gateway = runtime;
			logging.writer.on('appended', onAppended);
			logging.writer.on('fault', onFault);
			logging.writer.on('recovered', onRecovered);
			const status = logging.writer.status();
			if (!status.ok && status.error) {
				onFault(status.error);
			}
		},
		applyConfig(config, changedPaths) {
			if (changedPaths.some((path) => path.startsWith('logging') || /token|password|secret|key/i.test(path))) {
				applyLoggingConfig(logging, config.config);
			}
		},
		stop() {
			logging.writer.off('appended', onAppended);
			logging.writer.off('fault', onFault);
			logging.writer.off('recovered', onRecovered);
			clearTimeout(timer);
			timer = undefined;
			gateway = undefined;
			if (options.ownsWriter) {
				logging.writer.close();
			}
		},
	};
}
