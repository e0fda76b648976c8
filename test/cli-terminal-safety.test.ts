// The CLI's human output quotes what a gateway and the APIs behind it say: a channel API whose error text carries
// terminal escapes (window title, clipboard, screen clear, bidi) reaches `openclaw channels status --probe` as text.
// `--json` keeps the exact string, escaped as JSON.
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, test} from 'node:test';
import {Output} from '../source/cli-output/output.js';
import {paint} from '../source/cli-output/color.js';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';

const hostileError = 'invalid_auth\u001B]0;pwned-title\u0007\u001B]52;c;ZXZpbA==\u001B\\\u001B[2J\u202Eevil';
const actionable = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E]/;

describe('openclaw channels status --probe with an escape-laden channel error', () => {
	let instance: Instance;
	let gateway: GatewayProcess;
	const slack = http.createServer((_request, response) => {
		const body = JSON.stringify({ok: false, error: hostileError});
		response.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)}).end(body);
	});

	before(async () => {
		await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
		const apiBaseUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}`;
		const port = await freePort();
		const token = 'cli-terminal-safety-token';
		instance = await makeInstance({port, token, config: {gateway: {mode: 'local', port, auth: {mode: 'token', token}}, channels: {slack: {botToken: 'xoxb-test', apiBaseUrl}}}});
		gateway = await startGatewayProcess(instance);
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
		slack.close();
	});

	test('the human output shows the error as text, with no escape sequence, control or bidi character', async () => {
		const result = await openclaw(['channels', 'status', '--probe'], instance.env);
		assert.match(result.stdout, /invalid_auth/, result.stdout + result.stderr);
		assert.doesNotMatch(result.stdout + result.stderr, actionable);
		assert.doesNotMatch(result.stdout, /pwned-title|ZXZpbA==/);
	});

	test('--json carries the exact string (JSON escapes it)', async () => {
		const result = await openclaw(['channels', 'status', '--probe', '--json'], instance.env);
		// JSON escapes every control character; a bidi character stays (it is text, and scripts want the exact value).
		assert.doesNotMatch(result.stdout, /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		assert.ok(result.stdout.includes(JSON.stringify(hostileError).slice(1, -1)), result.stdout);
	});
});

describe('Output', () => {
	test('keeps its own paint codes and nothing else from the text', () => {
		let written = '';
		const stream = {isTTY: true, write: (text: string) => (written += text), on() {}} as unknown as NodeJS.WriteStream;
		const output = new Output({json: false, stdout: stream, stderr: stream, env: {}});
		output.line(`${paint('fail', 'FAIL')} ${hostileError} \u001B[8mconcealed\u001B[28m`);
		assert.equal(written, `${paint('fail', 'FAIL')} invalid_auth?evil concealed\n`);
	});
});
