// What each chat service contributes: whether its config is complete, and how to probe its API.
import type {ProbeResult} from './types.js';

export type ProbeOutcome = Omit<ProbeResult, 'elapsedMs'>;

export type ServiceProbe = {
	/** The config has what the channel needs (a token, a URL). */
	configured: boolean;
	/** When not configured: the key to set. */
	missing?: string;
	/** The API base URL in use (no secrets in it). */
	baseUrl?: string;
	secrets: readonly string[];
	run(timeoutMs: number): Promise<ProbeOutcome>;
};

export type ChannelSection = {
	enabled?: boolean;
	apiBaseUrl?: string;
	probeTimeoutMs?: number;
	probeIntervalMs?: number;
	botToken?: string;
	url?: string;
	method?: 'GET' | 'HEAD';
	[key: string]: unknown;
};

export function httpFailure(service: string, status: number, detail: unknown): ProbeOutcome {
	const text = typeof detail === 'string' && detail.trim() ? `: ${detail.trim().slice(0, 200)}` : '';
	return {ok: false, status, error: `${service} answered HTTP ${status}${text}`};
}

export function notConfigured(missing: string): ServiceProbe {
	return {
		configured: false,
		missing,
		secrets: [],
		async run() {
			return {ok: false, error: `not configured: set ${missing}`};
		},
	};
}
