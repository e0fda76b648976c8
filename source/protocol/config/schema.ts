// The config file's shape. Known keys are checked (a bad value names its key); other keys load, so a config written
// for OpenClaw still loads here, and unknown-keys.ts reports them with the key they were probably meant to be.
// Each object says which kind it is, and that is the whole list of known keys (nothing else keeps one):
// - `checked`: we know every key OpenClaw allows here (its own schema is strict about them), so another key is a
//   typo or a stale setting. It loads (refusing it would stop a gateway that starts today) and is reported.
// - `open`: keyed by ids, or a section OpenClaw and its plugins fill with more than we model. Any key belongs, and
//   only the keys we model are looked into.
// OpenClaw's own keys that we carry but do not read are listed with `openClawKeys`, so they are known, not unknown.
import {isIP} from 'node:net';
import {z} from 'zod';
import {reloadModes} from '../index.js';

const checked = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough();
const open = <T extends z.ZodRawShape>(shape: T) => z.object(shape).catchall(z.unknown());

/** Keys of OpenClaw's config that this gateway keeps but does not read: any value loads. */
function openClawKeys<const K extends string>(...keys: K[]): {[P in K]: z.ZodOptional<z.ZodUnknown>} {
	return Object.fromEntries(keys.map((key) => [key, z.unknown().optional()])) as {[P in K]: z.ZodOptional<z.ZodUnknown>};
}

const port = z.number().int().min(1).max(65_535);

/** An IP (`10.0.0.5`, `::1`) or CIDR (`10.0.0.0/8`), as `gateway.trustedProxies` takes them. */
const ipOrCidr = z.string().refine((value) => {
	const [address, prefix, extra] = value.trim().split('/');
	const family = isIP(address ?? '');
	return family !== 0 && extra === undefined && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32)));
}, 'expected an IP address or CIDR (10.0.0.5, 10.0.0.0/8, ::1)');
const secret = z.string().min(1);

const channelBase = {
	enabled: z.boolean().optional(),
	apiBaseUrl: z.string().url().optional(),
	probeTimeoutMs: z.number().int().positive().optional(),
	probeIntervalMs: z.number().int().min(100).optional(),
	// Who may talk to the agent (OpenClaw's keys and values; see channels/access.ts).
	dmPolicy: z.enum(['pairing', 'allowlist', 'open', 'disabled']).optional(),
	allowFrom: z.array(z.union([z.string(), z.number()])).optional(),
	// Messages per peer: a burst, then a steady rate (see channels/peer-rate.ts).
	rateLimit: z.object({burst: z.number().int().positive().optional(), perMinute: z.number().positive().optional()}).strict().optional(),
};

// Open: OpenClaw's mappings carry more (transforms, delivery) than the gateway reads.
const hookMapping = open({
	id: z.string().optional(),
	match: open({path: z.string().min(1).optional(), source: z.string().optional()}).optional(),
	action: z.enum(['agent', 'wake']).optional(),
	name: z.string().optional(),
	messageTemplate: z.string().optional(),
	textTemplate: z.string().optional(),
	agentId: z.string().optional(),
	sessionKey: z.string().optional(),
	wakeMode: z.enum(['now', 'next-heartbeat']).optional(),
	model: z.string().optional(),
	timeoutSeconds: z.number().positive().optional(),
});

/** Every top-level section of an OpenClaw config besides the ones modelled below. */
const openClawSections = openClawKeys(
	'$schema',
	'acp',
	'agent',
	'approvals',
	'audio',
	'auth',
	'bindings',
	'broadcast',
	'browser',
	'canvasHost',
	'cli',
	'cloudWorkers',
	'commands',
	'crestodian',
	'cron',
	'diagnostics',
	'discovery',
	'env',
	'identity',
	'mcp',
	'media',
	'memory',
	'messages',
	'meta',
	'nodeHost',
	'plugins',
	'proxy',
	'routing',
	'secrets',
	'session',
	'skills',
	'surfaces',
	'talk',
	'telemetry',
	'tools',
	'tui',
	'ui',
	'update',
	'web',
	'wizard',
);

export const configSchema = checked({
	...openClawSections,
	gateway: checked({
		mode: z.enum(['local', 'remote']).optional(),
		port: port.optional(),
		bind: z.enum(['loopback', 'lan', 'tailnet', 'auto', 'custom']).optional(),
		customBindHost: z.string().min(1).optional(),
		auth: checked({
			mode: z.enum(['none', 'token', 'password', 'trusted-proxy']).optional(),
			token: secret.optional(),
			password: secret.optional(),
			rateLimit: checked({
				maxAttempts: z.number().int().positive().optional(),
				windowMs: z.number().int().positive().optional(),
				lockoutMs: z.number().int().nonnegative().optional(),
				exemptLoopback: z.boolean().optional(),
			}).optional(),
			// Tailscale Serve identity headers, believed once tailscaled confirms them (gateway/auth-identity.ts).
			allowTailscale: z.boolean().optional(),
			// trusted-proxy mode: the header a proxy in gateway.trustedProxies names the user in.
			trustedProxy: checked({
				userHeader: z.string().trim().min(1, 'userHeader is required for trusted-proxy mode'),
				requiredHeaders: z.array(z.string().min(1)).optional(),
				allowUsers: z.array(z.string().min(1)).optional(),
				allowLoopback: z.boolean().optional(),
				...openClawKeys('cloudflareAccessOidc', 'deviceAutoApprove'),
			}).optional(),
			...openClawKeys('identityScopes'),
		}).optional(),
		trustedProxies: z.array(ipOrCidr).optional(),
		tailscale: checked({
			mode: z.enum(['off', 'serve', 'funnel']).optional(),
			...openClawKeys('preserveFunnel'),
		}).optional(),
		// Open: OpenClaw's node settings (commands, browser, ...) are far more than pairing.
		nodes: open({
			pairing: open({autoApproveLocal: z.boolean().optional()}).optional(),
		}).optional(),
		reload: checked({
			mode: z.enum(reloadModes).optional(),
			debounceMs: z.number().int().nonnegative().optional(),
			...openClawKeys('deferralTimeoutMs'),
		}).optional(),
		remote: checked({
			url: z.string().optional(),
			token: z.string().optional(),
			password: z.string().optional(),
			...openClawKeys('transport', 'tlsFingerprint', 'remotePort', 'sshTarget', 'sshIdentity', 'sshHostKeyPolicy', 'edgeAuth'),
		}).optional(),
		controlUi: checked({
			enabled: z.boolean().optional(),
			allowedOrigins: z.array(z.string()).optional(),
			// Written into the page's HTML and matched against request paths: plain path characters only.
			basePath: z
				.string()
				.regex(/^\/?(?:[\w.~-]+\/?)*$/, 'a URL path such as /openclaw (letters, digits, . _ ~ - and /)')
				.optional(),
			...openClawKeys(
				'root',
				'environment',
				'embedSandbox',
				'allowExternalEmbedUrls',
				'allowInsecureAuth',
				'dangerouslyAllowHostHeaderOriginFallback',
				'dangerouslyDisableDeviceAuth',
			),
		}).optional(),
		http: checked({
			endpoints: checked({
				responses: checked({
					enabled: z.boolean().optional(),
					...openClawKeys('maxBodyBytes', 'maxUrlParts', 'files', 'images'),
				}).optional(),
				...openClawKeys('chatCompletions'),
			}).optional(),
			...openClawKeys('securityHeaders'),
		}).optional(),
		maxPreAuthSocketsPerIp: z.number().int().positive().optional(),
		...openClawKeys(
			'publicOrigin',
			'tls',
			'allowRealIpFallback',
			'tools',
			'roles',
			'terminal',
			'push',
			'portals',
			'webchat',
			'channelHealthCheckMinutes',
			'channelStaleEventThresholdMinutes',
			'channelMaxRestartsPerHour',
		),
	}).optional(),
	logging: checked({
		level: z.enum(['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace']).optional(),
		file: z.string().optional(),
		maxFileBytes: z.number().int().positive().optional(),
		maxFiles: z.number().int().positive().optional(),
		redactPatterns: z.array(z.string()).optional(),
		...openClawKeys('consoleLevel', 'consoleStyle', 'redactSensitive'),
	}).optional(),
	// Open: channel plugins add channels, and each channel has many more options than the probe reads.
	channels: open({
		telegram: open({
			...channelBase,
			botToken: secret.optional(),
			webhookUrl: z.string().url().optional(),
			webhookSecret: secret.optional(),
			webhookPath: z.string().startsWith('/').optional(),
			pollTimeoutSeconds: z.number().int().min(0).max(50).optional(),
		}).optional(),
		discord: open({...channelBase, botToken: secret.optional()}).optional(),
		slack: open({
			...channelBase,
			botToken: secret.optional(),
			appToken: secret.optional(),
			mode: z.enum(['socket', 'http']).optional(),
			signingSecret: secret.optional(),
			webhookPath: z.string().startsWith('/').optional(),
		}).optional(),
		webhook: open({
			...channelBase,
			url: z.string().url().optional(),
			method: z.enum(['GET', 'HEAD']).optional(),
			secret: secret.optional(),
			path: z.string().startsWith('/').optional(),
			replayWindowSeconds: z.number().int().positive().max(3600).optional(),
		}).optional(),
	}).optional(),
	agents: checked({
		// Open: OpenClaw's agent defaults (heartbeat, subagents, ...) are far more than a run needs.
		defaults: open({
			// The directory the default agent works in (agents/workspace.ts); `~` is home. Default <stateDir>/workspace.
			workspace: z.string().min(1).optional(),
			// OpenClaw also writes {primary, fallbacks}; the primary is the one we run.
			model: z.union([z.string(), checked({primary: z.string().optional(), ...openClawKeys('fallbacks')})]).optional(),
			timeoutSeconds: z.number().positive().optional(),
			// Runs one client may start: a burst, then a steady rate (see agents/run-policy.ts).
			runRateLimit: z.object({burst: z.number().int().positive().optional(), perSecond: z.number().positive().optional()}).strict().optional(),
		}).optional(),
		list: z.array(open({id: z.string().min(1), workspace: z.string().min(1).optional()})).optional(),
		...openClawKeys('entries'),
	}).optional(),
	// Open: OpenClaw's model settings (catalog refresh, aliases, ...) and each provider's options go beyond ours.
	models: open({
		providers: z
			.record(
				open({
					baseUrl: z.string().url().optional(),
					apiKey: z.string().optional(),
					model: z.string().optional(),
				}),
			)
			.optional(),
	}).optional(),
	hooks: checked({
		enabled: z.boolean().optional(),
		token: secret.optional(),
		path: z.string().startsWith('/').optional(),
		maxBodyBytes: z.number().int().positive().optional(),
		mappings: z.array(hookMapping).optional(),
		...openClawKeys(
			'defaultSessionKey',
			'allowRequestSessionKey',
			'allowedSessionKeyPrefixes',
			'allowedAgentIds',
			'presets',
			'transformsDir',
			'gmail',
			'internal',
		),
	}).optional(),
});

export type GatewayConfig = z.infer<typeof configSchema>;

/** One line per problem, each naming the key: `gateway.port: expected number, received string`. */
export function formatIssues(error: z.ZodError): string[] {
	return error.issues.map((issue) => {
		const key = issue.path.length > 0 ? issue.path.join('.') : '(root)';
		return `${key}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
	});
}
