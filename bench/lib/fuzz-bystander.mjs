// The fuzz run's bystander, in a worker thread of its own so the fuzzer's busy loop cannot delay its reads: one
// operator connection asking `health` every 50 ms, riding out in-process restarts (it reconnects), posting its
// figures when told to stop. A health answer that never comes (2 s), or a gateway not back within 10 s, is reported.
import {parentPort, workerData} from 'node:worker_threads';
import WebSocket from 'ws';

const {url, token} = workerData;
const stats = {answers: 0, maxMs: 0, over100: 0, restarts: 0, failures: []};
let stopping = false;
parentPort.on('message', (message) => {
	if (message === 'stop') {
		stopping = true;
	}
});

function connect() {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, {perMessageDeflate: false});
		ws.on('error', () => {}); // reported through the reject below or as a close
		const timer = setTimeout(() => {
			ws.terminate();
			reject(new Error('connect timed out'));
		}, 5000);
		ws.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		ws.on('message', (data) => {
			const frame = JSON.parse(String(data));
			if (frame.type === 'res' && frame.id === 'hello') {
				clearTimeout(timer);
				frame.ok ? resolve(ws) : reject(new Error(JSON.stringify(frame.error)));
			}
		});
		ws.once('open', () => {
			ws.send(JSON.stringify({type: 'req', id: 'hello', method: 'connect', params: {minProtocol: 4, maxProtocol: 4, client: {id: 'cli', version: 'bystander', platform: 'linux', mode: 'cli'}, role: 'operator', scopes: ['operator.read'], auth: {token}}}));
		});
	});
}

function health(ws, id) {
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve({timeout: true}), 2000);
		const onMessage = (data) => {
			const frame = JSON.parse(String(data));
			if (frame.type === 'res' && frame.id === id) {
				finish(frame);
			}
		};

		const onClose = () => finish({closed: true});
		function finish(result) {
			clearTimeout(timer);
			ws.off('message', onMessage);
			ws.off('close', onClose);
			resolve(result);
		}

		ws.on('message', onMessage);
		ws.once('close', onClose);
		ws.send(JSON.stringify({type: 'req', id, method: 'health', params: {}}));
	});
}

async function reconnect() {
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		try {
			return await connect();
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	return undefined;
}

let ws = await reconnect();
if (!ws) {
	stats.failures.push('could not connect within 10 s');
}

let n = 0;
while (!stopping && ws) {
	const asked = performance.now();
	const answer = await health(ws, `h${++n}`);
	const ms = performance.now() - asked;
	if (answer.ok) {
		stats.answers++;
		stats.maxMs = Math.max(stats.maxMs, ms);
		stats.over100 += ms > 100 ? 1 : 0;
	} else if (answer.closed || /shutting down/.test(answer.error?.message ?? '')) {
		stats.restarts++;
		ws.terminate();
		ws = await reconnect();
		if (!ws) {
			stats.failures.push('the gateway was not back within 10 s of a restart');
			break;
		}
	} else {
		stats.failures.push(answer.timeout ? 'no health answer within 2 s' : `health failed: ${JSON.stringify(answer.error)}`);
		if (stats.failures.length > 5) {
			break;
		}
	}

	await new Promise((resolve) => setTimeout(resolve, 50));
}

ws?.terminate();
parentPort.postMessage(stats);
