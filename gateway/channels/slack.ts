// Slack Web API: `POST auth.test` with a Bearer bot token. Slack answers 200 even for a bad token and reports
// the problem in `{ok:false, error}`.
import {bodyField, joinUrl, maskSecrets, probeRequest} from './http-probe.js';
import {httpFailure, notConfigured, type ChannelSection, type ServiceProbe} from './service-probe.js';

export const slackDefaultBaseUrl = 'https://slack.com/api';

export function slackProbe(section: ChannelSection): ServiceProbe {
	const token = section.botToken;
	if (!token) {
		return notConfigured('channels.slack.botToken');
	}

	const baseUrl = section.apiBaseUrl ?? slackDefaultBaseUrl;
	const secrets = [token];
	return {
		configured: true,
		baseUrl,
		secrets,
		async run(timeoutMs) {
			const {status, body} = await probeRequest({
				url: joinUrl(baseUrl, 'auth.test'),
				method: 'POST',
				headers: {Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded'},
				body: '',
				timeoutMs,
				secrets,
			});
			if (status === 200 && bodyField(body, 'ok') === true) {
				const user = bodyField(body, 'user');
				const id = bodyField(body, 'bot_id') ?? bodyField(body, 'user_id');
				const team = bodyField(body, 'team');
				return {
					ok: true,
					status,
					bot: {username: typeof user === 'string' ? user : undefined, id: typeof id === 'string' ? id : undefined},
					team: typeof team === 'string' ? team : undefined,
				};
			}

			const failure =
				status === 200
					? {ok: false, status, error: `Slack auth.test failed: ${String(bodyField(body, 'error') ?? 'unexpected answer')}`}
					: httpFailure('Slack auth.test', status, bodyField(body, 'error'));
			return {...failure, error: maskSecrets(failure.error!, secrets)};
		},
	};
}
