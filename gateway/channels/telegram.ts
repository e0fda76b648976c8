// Telegram Bot API: the bot token lives in the URL path; `getMe` proves the token and names the bot.
import {bodyField, joinUrl, maskSecrets, probeRequest} from './http-probe.js';
import {httpFailure, notConfigured, type ChannelSection, type ServiceProbe} from './service-probe.js';

export const telegramDefaultBaseUrl = 'https://api.telegram.org';

export function telegramProbe(section: ChannelSection): ServiceProbe {
	const token = section.botToken;
	if (!token) {
		return notConfigured('channels.telegram.botToken');
	}

	const baseUrl = section.apiBaseUrl ?? telegramDefaultBaseUrl;
	const secrets = [token];
	return {
		configured: true,
		baseUrl,
		secrets,
		async run(timeoutMs) {
			const {status, body} = await probeRequest({
				url: joinUrl(baseUrl, `bot${token}/getMe`),
				method: 'GET',
				timeoutMs,
				secrets,
			});
			const result = bodyField(body, 'result');
			if (status === 200 && bodyField(body, 'ok') === true && result) {
				const username = bodyField(result, 'username');
				const id = bodyField(result, 'id');
				return {
					ok: true,
					status,
					bot: {username: typeof username === 'string' ? username : undefined, id: id === undefined ? undefined : String(id)},
				};
			}

			const failure = httpFailure('Telegram getMe', status, bodyField(body, 'description'));
			return {...failure, error: maskSecrets(failure.error!, secrets)};
		},
	};
}
