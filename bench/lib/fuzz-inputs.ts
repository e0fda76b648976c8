// The inputs of the gateway fuzz run (bench/fuzz.ts, and its seeded slice in test/fuzz-run.test.ts), generated with
// fast-check: WebSocket frames before and after auth, HTTP requests on every route, the channel webhook routes with
// forged, replayed and signed requests (fuzz-channels.ts), config.patch/set/apply bodies and logs.tail parameters.
// Each input is plain data, printable as a counterexample and replayable from its seed.
import fc from 'fast-check';
import {channelInput, channelPaths, type ChannelFuzzInput} from './fuzz-channels.js';

export type FuzzInput =
	| {kind: 'frame'; text: string}
	| {kind: 'binary'; bytes: number[]}
	| {kind: 'preauth'; frames: string[]}
	| {kind: 'http'; method: string; path: string; headers: Record<string, string>; body: string}
	| {kind: 'config'; method: 'config.patch' | 'config.set' | 'config.apply'; raw: string; withHash: boolean}
	| {kind: 'logs'; params: unknown}
	| ChannelFuzzInput;

const methods = ['health', 'status', 'system-presence', 'channels.status', 'agents.list', 'config.get', 'config.schema.lookup', 'logs.tail', 'no.such.method', 'connect', '', 'HEALTH', 'health\u0000', '__proto__', 'constructor'];

const scalar = fc.oneof(
	fc.constant(null),
	fc.boolean(),
	fc.integer(),
	fc.double({noNaN: false}),
	fc.constantFrom(0, -1, 2 ** 53, 1e308, -0),
	fc.string({maxLength: 40}),
	fc.constantFrom('__proto__', 'constructor', 'prototype', '\u0000', '\u001b[2J', '\ud800', '${HOME}', '../../etc/passwd'),
);

const key = fc.oneof(fc.string({maxLength: 12}), fc.constantFrom('__proto__', 'constructor', 'prototype', 'gateway', 'reload', 'mode', 'auth', 'token', 'port', 'logging', 'file', 'hooks'));

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
	value: fc.oneof({depthSize: 'small', withCrossShrink: true}, scalar, fc.array(tie('value'), {maxLength: 4}), fc.dictionary(key, tie('value'), {maxKeys: 4})),
})).value;

/** A request frame: sometimes well-formed, sometimes broken in one place. */
const requestFrame = fc
	.record({
		type: fc.oneof(fc.constant('req'), fc.constant('req'), fc.constant('event'), scalar),
		id: fc.oneof(fc.string({minLength: 1, maxLength: 20}), scalar),
		method: fc.oneof(fc.constantFrom(...methods), fc.string({maxLength: 20})),
		params: value,
	}, {requiredKeys: []})
	.map((frame) => JSON.stringify(frame) ?? 'null');

const frameText = fc.oneof(
	{weight: 6, arbitrary: requestFrame},
	{weight: 2, arbitrary: fc.json({maxDepth: 3})},
	{weight: 1, arbitrary: fc.string({maxLength: 200})},
	{weight: 1, arbitrary: fc.constantFrom('{', '{"type":"req"', '[]', '""', '{"type":"req","id":"x","method":"health","params":' + '['.repeat(500), '\u0000')},
);

const mergePatch = fc.oneof(
	fc.constant('{"gateway":{"reload":{"mode":"hybrid"}}}'),
	fc.constantFrom('off', 'hot', 'restart', 'hybrid', 'bogus').map((mode) => JSON.stringify({gateway: {reload: {mode}}})),
	fc.record({logging: fc.record({level: fc.constantFrom('debug', 'info', 'warn', 'error', 'loud')}, {requiredKeys: []})}).map((patch) => JSON.stringify(patch)),
	fc.dictionary(key, value, {maxKeys: 3}).map((patch) => JSON.stringify(patch)),
	fc.string({maxLength: 80}),
	fc.constantFrom('{gateway: {reload: {mode: "off"}}, // json5\n}', '{"__proto__": {"auth": null}}', '{"constructor": {"prototype": {"x": 1}}}', 'null', '[]'),
);

const httpPath = fc.oneof(
	fc.constantFrom('/v1/responses', '/hooks/wake', '/hooks/agent', '/hooks/unknown', '/healthz', '/readyz', '/startupz', '/', '/v1/responses/../../etc/passwd', '/hooks/%2e%2e/x', '//', '/v1/chat/completions', ...channelPaths),
	fc.webPath({size: 'small'}).map((path) => (path.startsWith('/') ? path : `/${path}`)),
);

const httpBody = fc.oneof(
	fc.record({model: fc.oneof(fc.constant('echo'), fc.string({maxLength: 10})), input: fc.oneof(fc.string({maxLength: 100}), value), stream: fc.boolean()}, {requiredKeys: []}).map((body) => JSON.stringify(body)),
	fc.record({text: fc.string({maxLength: 60}), message: fc.string({maxLength: 60}), mode: fc.constantFrom('now', 'next-heartbeat', 'x')}, {requiredKeys: []}).map((body) => JSON.stringify(body)),
	fc.json({maxDepth: 2}),
	fc.string({maxLength: 200}),
);

export function fuzzInput(hooksToken: string, gatewayToken: string): fc.Arbitrary<FuzzInput> {
	const authHeader = fc.constantFrom(`Bearer ${gatewayToken}`, `Bearer ${hooksToken}`, 'Bearer wrong', '', 'Basic x');
	return fc.oneof(
		{weight: 40, arbitrary: frameText.map((text) => ({kind: 'frame' as const, text}))},
		{weight: 3, arbitrary: fc.array(fc.integer({min: 0, max: 255}), {maxLength: 64}).map((bytes) => ({kind: 'binary' as const, bytes}))},
		{weight: 4, arbitrary: fc.array(frameText, {minLength: 1, maxLength: 3}).map((frames) => ({kind: 'preauth' as const, frames}))},
		{
			weight: 25,
			arbitrary: fc.record({
				method: fc.constantFrom('GET', 'POST', 'POST', 'PUT', 'OPTIONS', 'DELETE'),
				path: httpPath,
				headers: fc.record({authorization: authHeader, 'content-type': fc.constantFrom('application/json', 'text/plain', ''), 'x-openclaw-token': fc.constantFrom(hooksToken, 'nope', '')}, {requiredKeys: []}),
				body: httpBody,
			}).map((request) => ({kind: 'http' as const, ...request})),
		},
		{weight: 10, arbitrary: channelInput},
		{
			weight: 8,
			arbitrary: fc.record({method: fc.constantFrom('config.patch' as const, 'config.patch' as const, 'config.set' as const, 'config.apply' as const), raw: mergePatch, withHash: fc.boolean()}).map((write) => ({kind: 'config' as const, ...write})),
		},
		{
			weight: 20,
			arbitrary: fc
				.record({limit: fc.oneof(fc.integer({min: -5, max: 6000}), scalar), maxBytes: fc.oneof(fc.integer({min: -1, max: 2_000_000}), scalar), cursor: fc.oneof(fc.integer({min: -10, max: 10_000_000}), scalar)}, {requiredKeys: []})
				.map((params) => ({kind: 'logs' as const, params})),
		},
	);
}
