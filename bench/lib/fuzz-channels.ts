// The channel webhook routes in the fuzz run (fuzz-inputs.ts draws these, fuzz-run.ts sends them): the generic
// webhook channel (`POST /channels/webhook`, HMAC over timestamp and body), Telegram in webhook mode
// (`POST /telegram-webhook` with its secret-token header) and the Slack Events API (`POST /slack/events`, v0 signature
// within a 5-minute window). Each input is forged (unsigned, wrong secret, stale or near-miss), replayed (a correctly
// signed request sent twice), or correctly signed; its body a well-formed message, one with the wrong types, any
// JSON, or any text. Invariants: a forged request is never taken (2xx) and never reaches an agent, a replay is never
// taken twice nor runs twice, and no refusal log line carries the body or a secret.
import fc from 'fast-check';
import {hmacSha256Hex} from '../../gateway/channels/signatures.js';
import {webhookSignatureHeaders} from '../../gateway/channels/webhook-transport.js';
import {goodToken} from '../../test/helpers/fake-apis.js';

export const channelRoutes = ['webhook', 'telegram', 'slack'] as const;
export type ChannelRoute = (typeof channelRoutes)[number];
export const channelAuths = ['unsigned', 'forged', 'stale', 'replayed', 'signed'] as const;
export type ChannelAuth = (typeof channelAuths)[number];

export type ChannelFuzzInput = {
	kind: 'channel';
	route: ChannelRoute;
	auth: ChannelAuth;
	method: string;
	shape: 'message' | 'wrong-types' | 'json' | 'text';
	text: string;
	junk: string;
};

export const channelSecrets = {
	webhook: 'fuzz-webhook-secret-0123456789',
	telegram: 'fuzz-telegram-secret-token-0123456789',
	slack: 'fuzz-slack-signing-secret-0123456789',
} as const;

const paths: Record<ChannelRoute, string> = {webhook: '/channels/webhook', telegram: '/telegram-webhook', slack: '/slack/events'};
export const channelPaths = Object.values(paths);

/** Every body carries this (with its input's index): no refusal line may ever show it. */
export const bodySecretMarker = 'bodysecret';

export const channelInput: fc.Arbitrary<ChannelFuzzInput> = fc.record({
	kind: fc.constant('channel' as const),
	route: fc.constantFrom(...channelRoutes),
	auth: fc.constantFrom(...channelAuths),
	method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'GET', 'PUT'),
	shape: fc.constantFrom('message' as const, 'message' as const, 'wrong-types' as const, 'json' as const, 'text' as const),
	text: fc.oneof(fc.string({maxLength: 60}), fc.constantFrom('', ' ', '\u0000', '\ud800', '${HOME}', 'x'.repeat(5000))),
	junk: fc.oneof(fc.json({maxDepth: 2}), fc.string({maxLength: 80}), fc.constantFrom('null', '[]', '{"__proto__":{"x":1}}', '{"type":"url_verification","challenge":"c"}')),
});

/** Who sent it: forged inputs get peers of their own, so a session for one of them is proof one got through. */
export function channelPeer(input: ChannelFuzzInput, index: number): string {
	const family = input.auth === 'signed' ? 'signed' : input.auth === 'replayed' ? 'replay' : 'forged';
	if (input.route === 'telegram') {
		return String({signed: 100_000_000, replay: 500_000_000, forged: 900_000_000}[family] + index);
	}

	return input.route === 'slack' ? `U${family.toUpperCase()}${index}` : `${family}-${index}`;
}

export function isForged(input: ChannelFuzzInput): boolean {
	return input.auth === 'unsigned' || input.auth === 'forged' || input.auth === 'stale';
}

export function sessionKeyOf(route: ChannelRoute, peer: string): string {
	return `agent:main:${route}:direct:${peer.toLowerCase()}`;
}

function body(input: ChannelFuzzInput, index: number): string {
	const peer = channelPeer(input, index);
	const text = `${input.text} ${bodySecretMarker}-${index}`;
	let junk: unknown;
	try {
		junk = JSON.parse(input.junk);
	} catch {
		junk = input.junk;
	}

	if (input.shape === 'json') {
		return input.junk;
	}

	if (input.shape === 'text') {
		return `${input.junk} ${bodySecretMarker}-${index}`;
	}

	const wrong = input.shape === 'wrong-types';
	if (input.route === 'webhook') {
		// No `id`: were a replay taken, it would be a new run (the id would make the runner drop it as a duplicate).
		return JSON.stringify({from: wrong ? junk : peer, text: wrong ? [text] : text});
	}

	if (input.route === 'telegram') {
		const id = 1_000_000 + index;
		const from = wrong ? junk : Number(peer);
		return JSON.stringify({update_id: wrong ? String(id) : id, message: {message_id: id, date: Math.floor(Date.now() / 1000), text: wrong ? {text} : text, chat: {id: from, type: 'private'}, from: {id: from, is_bot: false}}});
	}

	return JSON.stringify({
		type: 'event_callback',
		team_id: 'T1',
		event_id: `Ev-fuzz-${index}`,
		event: {type: 'message', channel_type: wrong ? junk : 'im', channel: `D${peer}`, user: wrong ? junk : peer, text, ts: `${Date.now() / 1000}`},
	});
}

function headers(input: ChannelFuzzInput, raw: string): Record<string, string> {
	const now = Math.floor(Date.now() / 1000);
	const secret = input.auth === 'forged' ? 'not-the-secret-0123456789' : channelSecrets[input.route];
	if (input.auth === 'unsigned') {
		return {};
	}

	if (input.route === 'telegram') {
		// Telegram signs nothing: the header is the secret itself. "Stale" here is a near miss: the secret less its last
		// character (not the secret plus a space: HTTP drops a header value's surrounding whitespace, so that one is it).
		return {'x-telegram-bot-api-secret-token': input.auth === 'stale' ? secret.slice(0, -1) : secret};
	}

	const timestamp = input.auth === 'stale' ? now - 3600 : now;
	if (input.route === 'webhook') {
		return webhookSignatureHeaders(secret, raw, timestamp);
	}

	return {'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hmacSha256Hex(secret, `v0:${timestamp}:${raw}`)}`};
}

export type ChannelOutcome = {statuses: number[]; violation?: string};

/** Send one channel input (twice, identically, when it is a replay); report any answer that took a forged or replayed request. */
export async function sendChannelInput(port: number, input: ChannelFuzzInput, index: number): Promise<ChannelOutcome> {
	const raw = body(input, index);
	const signed = headers(input, raw);
	const send = async () => {
		const response = await fetch(`http://127.0.0.1:${port}${paths[input.route]}`, {
			method: input.method,
			headers: {'content-type': 'application/json', ...signed},
			body: input.method === 'GET' ? undefined : raw,
			signal: AbortSignal.timeout(10_000),
		});
		await response.arrayBuffer();
		return response.status;
	};

	const statuses = [await send().catch(() => 0)];
	if (input.auth === 'replayed') {
		statuses.push(await send().catch(() => 0));
	}

	const taken = (status: number) => status >= 200 && status < 300;
	if (isForged(input) && taken(statuses[0])) {
		return {statuses, violation: `a ${input.auth} ${input.route} request was taken (HTTP ${statuses[0]})`};
	}

	// Telegram answers 200 to an update it already has (its contract); it must not run it twice, which the session
	// check covers. The signed services must refuse the second copy outright.
	if (input.auth === 'replayed' && input.route !== 'telegram' && taken(statuses[0]) && taken(statuses[1])) {
		return {statuses, violation: `a replayed ${input.route} request was taken twice (HTTP ${statuses.join(', ')})`};
	}

	return {statuses};
}

/** The channels section the fuzzed gateway runs with: every inbound route open to any peer, answers to `apiUrl`'s fakes. */
export function fuzzChannelsConfig(apiUrl: string): Record<string, unknown> {
	const open = {dmPolicy: 'open', allowFrom: ['*'], rateLimit: {burst: 1000, perMinute: 60_000}};
	return {
		webhook: {url: `${apiUrl}/hook/ok`, secret: channelSecrets.webhook, ...open},
		telegram: {botToken: goodToken, apiBaseUrl: `${apiUrl}/telegram`, webhookUrl: `${apiUrl}/hook/ok`, webhookSecret: channelSecrets.telegram, ...open},
		slack: {botToken: goodToken, apiBaseUrl: `${apiUrl}/slack`, signingSecret: channelSecrets.slack, ...open},
	};
}

/** Secrets no log line may ever hold. */
export const loggedNever = [...Object.values(channelSecrets), goodToken];
