// Fuzz the gateway (bounded in count and time, loopback only): random and mutated frames at the handshake and on
// authenticated connections. Each input has a documented outcome: a `res` for every parsable frame after hello
// (INVALID_REQUEST for bad shapes), unparsable text and binary frames ignored after hello, close 1007 for invalid
// UTF-8, 1009 past the frame limit, and a close (1000/1002/1008/1009) for anything but a good connect before hello.
// Meanwhile a well-behaved client on another connection must keep getting answers.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {authedSocket, connectParams, RawSocket, startTestGateway, type TestGateway} from './helpers/gateway.js';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
let state = seed;
/** mulberry32: reproducible with FUZZ_SEED. */
function random(): number {
	state = (state + 0x6d_2b_79_f5) | 0;
	let t = state;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (max: number) => Math.floor(random() * max);

const maxPayload = 128 * 1024;
const safeMethods = ['health', 'status', 'system-presence', 'no.such.method', '', 'connect', 'HEALTH', 'health\u0000', '../../etc'];

function randomValue(depth = 0): unknown {
	switch (depth > 3 ? int(5) : int(8)) {
		case 0: {
			return null;
		}

		case 1: {
			return pick([0, -1, 1e308, -1e-308, Number.MAX_SAFE_INTEGER, 2 ** 64, 3.14]);
		}

		case 2: {
			return pick([true, false]);
		}

		case 3: {
			return pick(['', 'x', '\u0000', '\uD800', 'é✓🦀', 'a'.repeat(int(5000))]);
		}

		case 4: {
			return '__proto__';
		}

		case 5: {
			return Array.from({length: int(4)}, () => randomValue(depth + 1));
		}

		default: {
			const object: Record<string, unknown> = {};
			for (let index = int(4); index > 0; index--) {
				object[pick(['a', 'params', 'id', 'type', 'method', '__proto__', 'constructor', 'probe', 'limit'])] = randomValue(depth + 1);
			}

			return object;
		}
	}
}

function deep(levels: number, open = '[', close = ']'): string {
	return `${open.repeat(levels)}${close.repeat(levels)}`;
}

function mutate(text: string): string {
	const chars = [...text];
	for (let count = 1 + int(4); count > 0; count--) {
		const at = int(chars.length + 1);
		switch (int(4)) {
			case 0: {
				chars.splice(at, 1);
				break;
			}

			case 1: {
				chars.splice(at, 0, pick(['"', '{', '}', '[', ']', ',', ':', '\\', 'x', '0', ' ', '\u0000']));
				break;
			}

			case 2: {
				chars[at] = String.fromCharCode(int(128));
				break;
			}

			default: {
				chars.length = at;
			}
		}
	}

	return chars.join('');
}

type Input = {kind: string; data: string | Buffer; binary?: boolean};

let idCounter = 0;
function request(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {type: 'req', id: `f${idCounter++}`, method: pick(safeMethods), params: randomValue(), ...overrides};
}

/** One input for an authenticated connection; `closing` allows the two kinds that end the connection. */
function authedInput(closing = true): Input {
	switch (closing ? int(12) : 3 + int(9)) {
		case 0: {
			return {kind: 'binary', data: Buffer.from(Array.from({length: 1 + int(64)}, () => int(256))), binary: true};
		}

		case 1: {
			return {kind: 'invalid-utf8', data: Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]), binary: false};
		}

		case 2: {
			return {kind: 'oversize', data: JSON.stringify(request({params: {blob: 'x'.repeat(maxPayload + int(1000))}}))};
		}

		case 3: {
			return {kind: 'deep', data: JSON.stringify(request({params: undefined})).replace(/}$/, `,"params":${deep(1000 + int(20_000))}}`)};
		}

		case 4: {
			return {kind: 'huge-id', data: JSON.stringify(request({id: `H${idCounter++}${'9'.repeat(int(60_000))}`}))};
		}

		case 5: {
			return {kind: 'wrong-types', data: JSON.stringify({type: pick(['req', 'res', 'event', 1, null]), id: randomValue(), method: randomValue(), params: randomValue()})};
		}

		case 6: {
			return {kind: 'random-json', data: JSON.stringify(randomValue())};
		}

		case 7: {
			return {kind: 'garbage', data: Array.from({length: int(200)}, () => String.fromCharCode(32 + int(95))).join('')};
		}

		default: {
			return {kind: 'mutated', data: mutate(JSON.stringify(request()))};
		}
	}
}

/** What the gateway must do with a text frame after hello: answer it (with which id), or ignore it. */
function expectedAnswerId(input: Input): string | undefined {
	if (input.binary !== undefined) {
		return undefined;
	}

	let frame: unknown;
	try {
		frame = JSON.parse(input.data as string);
	} catch {
		return undefined;
	}

	const record = frame as Record<string, unknown> | null;
	const valid = typeof record === 'object' && record !== null && !Array.isArray(record) && typeof record.id === 'string' && record.id !== '';
	return valid ? (record.id as string) : 'invalid';
}

let gw: TestGateway;
let watcher: RawSocket;
const tried = {handshake: 0, authed: 0, closes: new Map<number, number>(), answered: 0, ignored: 0};
before(async () => {
	gw = await startTestGateway({maxPayload});
	watcher = await authedSocket(gw.url);
});
after(async () => {
	watcher.close();
	await gw.stop();
	console.log(
		`fuzz (seed ${seed}): ${tried.handshake} handshake inputs, ${tried.authed} authenticated inputs (${tried.answered} answered, ${tried.ignored} ignored); closes ${JSON.stringify(Object.fromEntries(tried.closes))}`,
	);
});

async function watcherStillServed(): Promise<void> {
	const res = await watcher.call('health', undefined, `w${idCounter++}`);
	assert.equal(res.ok, true, 'the well-behaved client is still answered');
}

function countClose(code: number): void {
	tried.closes.set(code, (tried.closes.get(code) ?? 0) + 1);
}

describe('fuzz', () => {
	test('handshake: every bad first frame closes with a documented code; a good one still connects', async () => {
		const deadline = Date.now() + 4000;
		for (let batch = 0; batch < 30 && Date.now() < deadline; batch++) {
			await Promise.all(
				Array.from({length: 8}, async () => {
					const socket = new RawSocket(gw.url);
					await socket.opened;
					const choice = int(6);
					const params = choice === 0 ? {...connectParams(), ...(randomValue() as object)} : randomValue();
					const input: Input =
						choice <= 1
							? {kind: 'connect-bad-params', data: JSON.stringify({type: 'req', id: `h${idCounter++}`, method: 'connect', params})}
							: choice === 2
								? {kind: 'mutated-connect', data: mutate(JSON.stringify({type: 'req', id: 'c', method: 'connect', params: connectParams()}))}
								: authedInput();
					if (input.kind === 'oversize') {
						input.data = 'x'.repeat(70_000);
					}

					socket.ws.send(input.data, {binary: input.binary === true});
					tried.handshake++;
					const closed = await Promise.race([
						socket.closedWith(4000),
						socket.frame((frame) => frame.type === 'res' && frame.ok === true, 4000).then(() => undefined),
					]);
					if (closed) {
						assert.ok([1000, 1002, 1007, 1008, 1009].includes(closed.code), `${input.kind}: close ${closed.code}`);
						countClose(closed.code);
					}

					socket.close();
				}),
			);
			await watcherStillServed();
		}

		// After all that, a good client connects normally.
		(await authedSocket(gw.url)).close();
	});

	test('authenticated: every parsable frame is answered, unparsable and binary ignored, bad UTF-8 and oversize close', async () => {
		const deadline = Date.now() + 6000;
		let socket = await authedSocket(gw.url, {scopes: ['operator.read', 'operator.write', 'operator.admin']});
		for (let batch = 0; batch < 120 && Date.now() < deadline; batch++) {
			const expected = new Map<string, number>();
			let expectClose: number | undefined;
			// Most batches stay on one connection; one in five ends with an input that closes it.
			const closingAt = random() < 0.2 ? int(40) : -1;
			for (let index = 0; index < 40 && expectClose === undefined; index++) {
				const input = authedInput(index === closingAt);
				tried.authed++;
				if (input.kind === 'invalid-utf8') {
					expectClose = 1007;
				} else if (input.kind === 'oversize') {
					expectClose = 1009;
				} else {
					const id = expectedAnswerId(input);
					if (id === undefined) {
						tried.ignored++;
					} else {
						expected.set(id, (expected.get(id) ?? 0) + 1);
					}
				}

				socket.ws.send(input.data, {binary: input.binary === true});
			}

			const seenBefore = socket.frames.length;
			const answeredAll = () => {
				const counts = new Map<string, number>();
				for (const frame of socket.frames.slice(0)) {
					if (frame.type === 'res') {
						counts.set(frame.id, (counts.get(frame.id) ?? 0) + 1);
					}
				}

				return [...expected].every(([id, count]) => (counts.get(id) ?? 0) >= count);
			};

			if (expectClose === undefined) {
				const waitUntil = Date.now() + 5000;
				while (!answeredAll() && Date.now() < waitUntil && !socket.closed) {
					await new Promise((resolve) => setTimeout(resolve, 10));
				}

				assert.equal(socket.closed, undefined, `closed unexpectedly: ${JSON.stringify(socket.closed)}`);
				assert.ok(answeredAll(), `not every parsable frame was answered (seed ${seed})`);
				for (const frame of socket.frames.slice(seenBefore)) {
					if (frame.type === 'res' && !frame.ok) {
						assert.equal(typeof frame.error.code, 'string');
						assert.equal(typeof frame.error.message, 'string');
					}
				}

				tried.answered += [...expected.values()].reduce((sum, count) => sum + count, 0);
				socket.frames.length = 0;
			} else {
				const closed = await socket.closedWith(5000);
				assert.equal(closed.code, expectClose);
				countClose(closed.code);
				socket = await authedSocket(gw.url, {scopes: ['operator.read', 'operator.write', 'operator.admin']});
			}

			await watcherStillServed();
		}

		socket.close();
		assert.ok(tried.authed > 200, `only ${tried.authed} inputs in the time budget`);
	});
});
