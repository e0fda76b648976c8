// Loopback fakes of the outside APIs the gateway talks to: the chat services (their probe endpoints and the calls a
// bot makes to receive and answer messages; their state is in fake-chat-state.ts), a webhook URL, and OpenAI's
// streaming chat completions.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {fakeDiscord, fakeSlack, fakeTelegram, goodAppToken, goodToken, jsonBody, malformedTelegramToken, type FakeDiscord, type FakeSlack, type FakeTelegram} from './fake-chat-state.js';

export type FakeServer = {
	url: string;
	port: number;
	requests: Array<{method: string; path: string; headers: http.IncomingHttpHeaders; body: string}>;
	close(): Promise<void>;
};

async function listen(
	handler: (request: http.IncomingMessage, body: string, response: http.ServerResponse) => void,
	onServer?: (server: http.Server) => void,
): Promise<FakeServer> {
	const requests: FakeServer['requests'] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			requests.push({method: request.method ?? '', path: request.url ?? '', headers: request.headers, body});
			handler(request, body, response);
		});
	});
	onServer?.(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
	response.end(text);
}

/** How Telegram answers a token it does not take: 404 for one not of a bot token's form, 401 for any other. */
function telegramRefusesToken(response: http.ServerResponse, token: string): void {
	token === malformedTelegramToken
		? json(response, 404, {ok: false, error_code: 404, description: 'Not Found'})
		: json(response, 401, {ok: false, error_code: 401, description: 'Unauthorized'});
}

export {goodAppToken, goodToken, malformedTelegramToken, type FakeDiscord, type FakeSlack, type FakeTelegram} from './fake-chat-state.js';

export type FakeChannelApis = FakeServer & {telegram: FakeTelegram; slack: FakeSlack; discord: FakeDiscord};

/** Requests with this token (or to /hook/slow) get no answer for `slowMs`. */
export const slowToken = 'slow-bot-token-123456';

/**
 * One server that answers like Telegram (getMe, getUpdates long polling, sendMessage, setWebhook), Discord (users/@me,
 * gateway/bot and its Gateway socket, channel messages), Slack (auth.test, chat.postMessage, Socket Mode) and a plain
 * webhook target. `goodToken` succeeds, `slowToken` hangs its probe for `slowMs`, any other token is refused as each
 * real API refuses it.
 */
export async function startFakeChannelApis(slowMs = 5000): Promise<FakeChannelApis> {
	const telegramState = fakeTelegram();
	const slackState = fakeSlack();
	let slackSocketUrl = '';
	const discordState = fakeDiscord();
	let gatewayUrl = '';
	const server = await listen((request, body, response) => {
		const url = new URL(request.url ?? '/', 'http://fake');
		const auth = request.headers.authorization ?? '';
		const later = (fn: () => void) => {
			const timer = setTimeout(fn, slowMs);
			response.on('close', () => clearTimeout(timer));
		};

		const telegramMethod = /^\/telegram\/bot([^/]+)\/(getUpdates|sendMessage|setWebhook|deleteWebhook)$/.exec(url.pathname);
		if (telegramMethod) {
			const token = decodeURIComponent(telegramMethod[1]);
			if (token !== goodToken) {
				telegramRefusesToken(response, token);
				return;
			}

			const params = jsonBody(body);
			if (telegramMethod[2] === 'sendMessage') {
				telegramState.sent.push({token, chat_id: params.chat_id, text: String(params.text)});
				json(response, 200, {ok: true, result: {message_id: telegramState.sent.length, chat: {id: params.chat_id}, text: params.text}});
				return;
			}

			if (telegramMethod[2] === 'setWebhook' || telegramMethod[2] === 'deleteWebhook') {
				if (telegramMethod[2] === 'setWebhook' && telegramState.setWebhookFails) {
					const {status, description} = telegramState.setWebhookFails;
					json(response, status, {ok: false, error_code: status, description});
					return;
				}

				if (telegramMethod[2] === 'setWebhook') {
					telegramState.webhooks.push({token, url: String(params.url), secret_token: params.secret_token});
				}

				json(response, 200, {ok: true, result: true});
				return;
			}

			if (telegramState.getUpdatesFails) {
				const {status, description} = telegramState.getUpdatesFails;
				json(response, status, {ok: false, error_code: status, description});
				return;
			}

			// getUpdates: answer at once when updates wait, else hold the request (long poll) until one comes or the
			// poll's timeout (at most 5 s here) passes.
			const offset = typeof params.offset === 'number' ? params.offset : undefined;
			telegramState.offsets.push(offset);
			const answer = () => {
				telegramState.waiters.delete(answer);
				clearTimeout(timer);
				if (!response.writableEnded) {
					json(response, 200, {ok: true, result: telegramState.take(offset)});
				}
			};

			const timer = setTimeout(answer, Math.min(Number(params.timeout ?? 0), 5) * 1000);
			response.on('close', () => {
				telegramState.waiters.delete(answer);
				clearTimeout(timer);
			});
			if (telegramState.take(offset).length > 0) {
				answer();
			} else {
				telegramState.waiters.add(answer);
			}

			return;
		}

		const telegram = /^\/telegram\/bot([^/]+)\/getMe$/.exec(url.pathname);
		if (telegram) {
			const token = decodeURIComponent(telegram[1]);
			const answer = () =>
				token === goodToken
					? json(response, 200, {ok: true, result: {id: 4242, is_bot: true, first_name: 'Fake', username: 'fake_tg_bot'}})
					: telegramRefusesToken(response, token);
			token === slowToken ? later(answer) : answer();
			return;
		}

		if (url.pathname === '/discord/gateway/bot') {
			const token = auth.replace(/^Bot /, '');
			token === goodToken
				? json(response, 200, {url: gatewayUrl, shards: 1, session_start_limit: {total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1}})
				: json(response, 401, {message: '401: Unauthorized', code: 0});
			return;
		}

		const discordPost = /^\/discord\/channels\/([^/]+)\/messages$/.exec(url.pathname);
		if (discordPost && request.method === 'POST') {
			const token = auth.replace(/^Bot /, '');
			if (token !== goodToken) {
				json(response, 401, {message: '401: Unauthorized', code: 0});
				return;
			}

			const params = jsonBody(body);
			discordState.posted.push({token, channelId: decodeURIComponent(discordPost[1]), content: params.content});
			json(response, 200, {id: String(Date.now()), channel_id: discordPost[1], content: params.content});
			return;
		}

		if (url.pathname === '/discord/users/@me') {
			const token = auth.replace(/^Bot /, '');
			const answer = () =>
				token === goodToken
					? json(response, 200, {id: '998877', username: 'fake_discord_bot', bot: true})
					: json(response, 401, {message: '401: Unauthorized', code: 0});
			token === slowToken ? later(answer) : answer();
			return;
		}

		if (url.pathname === '/slack/chat.postMessage' && request.method === 'POST') {
			const token = auth.replace(/^Bearer /, '');
			if (token !== goodToken) {
				json(response, 200, {ok: false, error: 'invalid_auth'});
				return;
			}

			const params = jsonBody(body);
			slackState.posted.push({token, channel: params.channel, text: params.text});
			json(response, 200, {ok: true, channel: params.channel, ts: `${Date.now() / 1000}`, message: {text: params.text}});
			return;
		}

		if (url.pathname === '/slack/apps.connections.open' && request.method === 'POST') {
			if (auth.replace(/^Bearer /, '') !== goodAppToken) {
				json(response, 200, {ok: false, error: 'invalid_auth'});
			} else if (slackState.connectionsOpenError) {
				json(response, 200, {ok: false, error: slackState.connectionsOpenError});
			} else {
				json(response, 200, {ok: true, url: slackSocketUrl});
			}

			return;
		}

		if (url.pathname === '/slack/auth.test' && request.method === 'POST') {
			const token = auth.replace(/^Bearer /, '');
			const answer = () =>
				token === goodToken
					? json(response, 200, {ok: true, url: 'https://fake.slack.com/', team: 'Fake Team', user: 'fake_slack_bot', team_id: 'T1', user_id: 'U1', bot_id: 'B1'})
					: json(response, 200, {ok: false, error: 'invalid_auth'});
			token === slowToken ? later(answer) : answer();
			return;
		}

		if (url.pathname.startsWith('/hook/')) {
			const kind = url.pathname.slice('/hook/'.length);
			const answer = () => json(response, kind === 'ok' || kind === 'slow' ? 200 : 404, {kind});
			kind === 'slow' ? later(answer) : answer();
			return;
		}

		json(response, 404, {error: 'no such fake endpoint'});
	}, (httpServer) => {
		httpServer.on('upgrade', (request, socket, head) => {
			const pathname = new URL(request.url ?? '/', 'http://fake').pathname;
			const wss = pathname === '/discord-gateway' || pathname === '/discord-resume' ? discordState.wss : pathname === '/slack-socket' ? slackState.wss : undefined;
			if (!wss) {
				socket.destroy();
				return;
			}

			wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
		});
	});
	gatewayUrl = `ws://127.0.0.1:${server.port}/discord-gateway`;
	discordState.resumeGatewayUrl = `ws://127.0.0.1:${server.port}/discord-resume`;
	slackSocketUrl = `ws://127.0.0.1:${server.port}/slack-socket`;
	return {
		...server,
		telegram: telegramState,
		slack: slackState,
		discord: discordState,
		async close() {
			for (const wss of [discordState.wss, slackState.wss]) {
				for (const client of wss.clients) {
					client.terminate();
				}

				wss.close();
			}
			await server.close();
		},
	};
}

export const openAiKey = 'sk-test-key-0123456789';

export type FakeOpenAiOptions = {
	/** What the model answers (streamed in `chunks` pieces). */
	reply?: string;
	chunks?: number;
	/** Pause between streamed chunks. */
	chunkDelayMs?: number;
};

/** A fake of OpenAI's `POST /v1/chat/completions` with `stream: true`. A wrong key gets OpenAI's 401, which echoes the key. */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeServer> {
	const reply = options.reply ?? 'Hello from the fake model.';
	const chunks = options.chunks ?? 3;
	return listen((request, body, response) => {
		if (request.url !== '/v1/chat/completions' || request.method !== 'POST') {
			json(response, 404, {error: {message: 'not found'}});
			return;
		}

		const key = (request.headers.authorization ?? '').replace(/^Bearer /, '');
		if (key !== openAiKey) {
			json(response, 401, {error: {message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error', code: 'invalid_api_key'}});
			return;
		}

		const {model} = JSON.parse(body) as {model: string};
		response.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache'});
		const size = Math.ceil(reply.length / chunks);
		const pieces = Array.from({length: Math.ceil(reply.length / size)}, (_, index) => reply.slice(index * size, (index + 1) * size));
		let index = 0;
		const send = () => {
			if (response.destroyed) {
				return;
			}

			if (index < pieces.length) {
				const chunk = {id: 'chatcmpl-fake', object: 'chat.completion.chunk', model, choices: [{index: 0, delta: {content: pieces[index++]}, finish_reason: null}]};
				response.write(`data: ${JSON.stringify(chunk)}\n\n`);
				setTimeout(send, options.chunkDelayMs ?? 2);
				return;
			}

			response.write(`data: ${JSON.stringify({id: 'chatcmpl-fake', choices: [{index: 0, delta: {}, finish_reason: 'stop'}]})}\n\n`);
			response.end('data: [DONE]\n\n');
		};

		response.write(': keep-alive\n\n');
		send();
	});
}
