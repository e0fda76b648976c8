// A generic outgoing webhook: reachable means its URL answers a GET (or HEAD) with a status below 400. The URL
// itself is treated as a secret (incoming-webhook URLs embed one), so only its origin is ever shown.
import {probeRequest} from './http-probe.js';
import {httpFailure, notConfigured, type ChannelSection, type ServiceProbe} from './service-probe.js';

function originOf(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return '(invalid url)';
	}
}

export function webhookProbe(section: ChannelSection): ServiceProbe {
	const url = section.url;
	if (!url) {
		return notConfigured('channels.webhook.url');
	}

	const secrets = [url, new URL(url).pathname, ...(section.botToken ? [section.botToken] : [])].filter((value) => value.length > 1);
	const method = section.method ?? 'GET';
	return {
		configured: true,
		baseUrl: originOf(url),
		secrets,
		async run(timeoutMs) {
			const {status} = await probeRequest({url, method, timeoutMs, secrets});
			return status < 400 ? {ok: true, status} : httpFailure(`Webhook ${method}`, status, undefined);
		},
	};
}
