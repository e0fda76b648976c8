// Discord REST API: `GET /users/@me` with `Authorization: Bot <token>` returns the bot user.
import {bodyField, joinUrl, maskSecrets, probeRequest} from './http-probe.js';
import {httpFailure, notConfigured, type ChannelSection, type ServiceProbe} from './service-probe.js';

export const discordDefaultBaseUrl = 'https://discord.com/api/v10';

export function discordProbe(section: ChannelSection): ServiceProbe {
	const token = section.botToken;
	if (!token) {
		return notConfigured('channels.discord.botToken');
	}

	const baseUrl = section.apiBaseUrl ?? discordDefaultBaseUrl;
	const secrets = [token];
	return {
		configured: true,
		baseUrl,
		secrets,
		async run(timeoutMs) {
			const {status, body} = await probeRequest({
				url: joinUrl(baseUrl, 'users/@me'),
				method: 'GET',
				headers: {Authorization: `Bot ${token}`},
				timeoutMs,
				secrets,
			});
			const username = bodyField(body, 'username');
			if (status === 200 && typeof username === 'string') {
				const id = bodyField(body, 'id');
				return {ok: true, status, bot: {username, id: typeof id === 'string' ? id : undefined}};
			}

			const failure = httpFailure('Discord users/@me', status, bodyField(body, 'message'));
			return {...failure, error: maskSecrets(failure.error!, secrets)};
		},
	};
}
