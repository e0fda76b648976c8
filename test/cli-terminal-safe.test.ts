// The CLI's human output with a hostile channel API: a loopback stand-in for Telegram answers the gateway's live
// probe with an error text full of escape sequences (OSC 0 title, OSC 52 clipboard, SGR, CSI clear, 8-bit CSI and
// OSC, a bidi override). The built `openclaw` against a real gateway process prints it inert, with visible
// stand-ins, wherever it shows up (channels status, status, health, logs); --json keeps the exact text, escaped.
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {Output} from '../source/cli-output/output.js';
import {freePort} from './helpers/gateway.js';
import {makeInstance, openclaw, startGatewayProcess, type GatewayProcess, type Instance} from './helpers/cli-process.js';

const description = 'Unauthorized \u001B]0;PWNED\u0007\u001B]52;c;cHduZWQ=\u0007\u001B[5;31mred\u001B[0m\u001B[2J\u009B2J\u009D0;c1\u009C\u202Eevil';
/** The start of the description as a terminal-safe line shows it. */
const shown = 'Unauthorized ^[]0;PWNED^G^[]52;c;cHduZWQ=^G^[[5;31mred^[[0m^[[2J';

// C0 (but line feed), DEL, C1, bidi and invisible format characters: none may reach the terminal.
const unsafe = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

function assertInert(text: string, what: string): void {
	const found = unsafe.exec(text);
	assert.equal(found, null, `${what} printed U+${found?.[0].codePointAt(0)?.toString(16).padStart(4, '0')}:\n${JSON.stringify(text)}`);
}

/** An Output on a pretend terminal (colour on), and what it wrote. */
function capturedOutput(json = false): {output: Output; written: string[]} {
	const written: string[] = [];
	const stream = {isTTY: true, on: () => stream, write: (text: string) => written.push(text) > 0} as unknown as NodeJS.WriteStream;
	return {output: new Output({json, stdout: stream, stderr: stream, env: {}}), written};
}

describe('Output', () => {
	it('writes human lines terminal-safe (line feeds and tabs kept), its own colours intact', () => {
		const {output, written} = capturedOutput();
		output.line(`Gateway: ${output.paint('ok', 'reachable')} ${description}\n\tnext`);
		output.error(output.paint('fail', `failed: ${description}`));
		output.notice(description);
		assert.equal(written[0], `Gateway: \u001B[32mreachable\u001B[39m ${shown}\uFFFD2J\uFFFD0;c1\uFFFD\uFFFDevil\n\tnext\n`);
		assert.equal(written[1], `\u001B[31mfailed: ${shown}\uFFFD2J\uFFFD0;c1\uFFFD\uFFFDevil\u001B[39m\n`);
		assertInert(written[2], 'notice');
	});

	it("a colour marker from outside (without this Output's key) colours nothing", () => {
		const {output, written} = capturedOutput();
		output.line('\uFFF9anykeyfail\uFFFAforged\uFFF9anykey/fail\uFFFA');
		assert.equal(written[0], '\uFFFDanykeyfail\uFFFDforged\uFFFDanykey/fail\uFFFD\n');
	});

	it('JSON documents and records: the same value, with C1, DEL, bidi and invisible characters as \\u escapes', () => {
		const {output, written} = capturedOutput(true);
		const value = {error: description, del: '\u007F', bom: '\uFEFF', emoji: '👨‍👩‍👧 日本'};
		output.document(value);
		output.record(value);
		for (const text of written) {
			assertInert(text.replace(/\n/g, ''), 'JSON');
			assert.deepEqual(JSON.parse(text), value);
		}

		assert.ok(written[1].includes('"emoji":"👨‍👩‍👧 日本"'), 'printable text stays as it is');
	});
});

describe('CLI human output with a channel API that answers with escape sequences', () => {
	let instance: Instance;
	let gateway: GatewayProcess;
	const api = http.createServer((_request, response) => {
		const body = JSON.stringify({ok: false, error_code: 401, description});
		response.writeHead(401, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)}).end(body);
	});

	before(async () => {
		await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
		const apiBaseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/telegram`;
		const port = await freePort();
		const token = 'cli-terminal-safe-token';
		instance = await makeInstance({
			port,
			token,
			config: {gateway: {mode: 'local', port, auth: {mode: 'token', token}}, channels: {telegram: {botToken: 'bot-token-for-the-fake', apiBaseUrl}}},
		});
		gateway = await startGatewayProcess(instance);
		// The first live probe records the error as the channel's lastError (and logs it) for the other commands.
		await openclaw(['channels', 'status', '--probe'], instance.env);
	});

	after(async () => {
		await gateway?.stop();
		await instance?.cleanup();
		api.close();
	});

	it('channels status --probe: the API error is shown inert, exit 1', async () => {
		const result = await openclaw(['channels', 'status', '--probe'], instance.env);
		assert.equal(result.exitCode, 1, result.stdout + result.stderr);
		assertInert(result.stdout + result.stderr, 'channels status --probe');
		assert.ok(result.stdout.includes(shown), result.stdout);
	});

	it('channels status --probe --json: exact JSON with the exact text, and no raw control in the bytes printed', async () => {
		const result = await openclaw(['channels', 'status', '--probe', '--json'], instance.env);
		assertInert(result.stdout, 'channels status --json');
		const payload = JSON.parse(result.stdout) as {channelAccounts: {telegram: Array<{probe: {error: string}}>}};
		assert.equal(payload.channelAccounts.telegram[0].probe.error, `Telegram getMe answered HTTP 401: ${description}`);
	});

	// logs prints the record's fields as JSON, where ESC is \u001b already; its C1 characters were printed raw.
	for (const [args, seen] of [
		[['status'], '^[]0;PWNED^G'],
		[['health'], '^[]0;PWNED^G'],
		[['logs', '--limit', '200'], '\\u001b]0;PWNED\\u0007'],
	] as const) {
		it(`${args[0]}: the recorded error is shown inert`, async () => {
			const result = await openclaw([...args], instance.env);
			assert.equal(result.exitCode, 0, result.stdout + result.stderr);
			assertInert(result.stdout + result.stderr, args[0]);
			assert.ok(result.stdout.includes(seen), result.stdout);
		});
	}
});
