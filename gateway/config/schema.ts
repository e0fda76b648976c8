// The config file's shape. Known keys are checked (a bad value names its key); unknown keys pass through so a
// config written for OpenClaw still loads here.
import {z} from 'zod';
import {reloadModes} from '../../source/protocol/index.js';

const port = z.number().int().min(1).max(65_535);
const secret = z.string().min(1);

const channelBase = {
	enabled: z.boolean().optional(),
	apiBaseUrl: z.string().url().optional(),
	probeTimeoutMs: z.number().int().positive().optional(),
	probeIntervalMs: z.number().int().min(100).optional(),
};

const hookMapping = z
	.object({
		id: z.string().optional(),
		match: z.object({path: z.string().min(1).optional(), source: z.string().optional()}).passthrough().optional(),
		action: z.enum(['agent', 'wake']).optional(),
		name: z.string().optional(),
		messageTemplate: z.string().optional(),
		textTemplate: z.string().optional(),
		agentId: z.string().optional(),
		sessionKey: z.string().optional(),
		wakeMode: z.enum(['now', 'next-heartbeat']).optional(),
		model: z.string().optional(),
		timeoutSeconds: z.number().positive().optional(),
	})
	.passthrough();

export const configSchema = z
	.object({
		gateway: z
			.object({
				mode: z.enum(['local', 'remote']).optional(),
				port: port.optional(),
				bind: z.enum(['loopback', 'lan', 'tailnet', 'auto', 'custom']).optional(),
				customBindHost: z.string().min(1).optional(),
				auth: z
					.object({
						mode: z.enum(['none', 'token', 'password']).optional(),
						token: secret.optional(),
						password: secret.optional(),
						rateLimit: z
							.object({
								maxAttempts: z.number().int().positive().optional(),
								windowMs: z.number().int().positive().optional(),
								lockoutMs: z.number().int().nonnegative().optional(),
								exemptLoopback: z.boolean().optional(),
							})
							.passthrough()
							.optional(),
					})
					.passthrough()
					.optional(),
				reload: z
					.object({
						mode: z.enum(reloadModes).optional(),
						debounceMs: z.number().int().nonnegative().optional(),
					})
					.passthrough()
					.optional(),
				remote: z
					.object({url: z.string().optional(), token: z.string().optional(), password: z.string().optional()})
					.passthrough()
					.optional(),
				controlUi: z
					.object({enabled: z.boolean().optional(), allowedOrigins: z.array(z.string()).optional()})
					.passthrough()
					.optional(),
				http: z
					.object({
						endpoints: z
							.object({
								responses: z.object({enabled: z.boolean().optional()}).passthrough().optional(),
							})
							.passthrough()
							.optional(),
					})
					.passthrough()
					.optional(),
				maxPreAuthSocketsPerIp: z.number().int().positive().optional(),
			})
			.passthrough()
			.optional(),
		logging: z
			.object({
				level: z.enum(['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace']).optional(),
				file: z.string().optional(),
				maxFileBytes: z.number().int().positive().optional(),
				maxFiles: z.number().int().positive().optional(),
				redactPatterns: z.array(z.string()).optional(),
			})
			.passthrough()
			.optional(),
		channels: z
			.object({
				telegram: z.object({...channelBase, botToken: secret.optional()}).passthrough().optional(),
				discord: z.object({...channelBase, botToken: secret.optional()}).passthrough().optional(),
				slack: z.object({...channelBase, botToken: secret.optional()}).passthrough().optional(),
				webhook: z
					.object({...channelBase, url: z.string().url().optional(), method: z.enum(['GET', 'HEAD']).optional()})
					.passthrough()
					.optional(),
			})
			.passthrough()
			.optional(),
		agents: z
			.object({
				defaults: z
					.object({
						// OpenClaw also writes {primary, fallbacks}; the primary is the one we run.
						model: z.union([z.string(), z.object({primary: z.string().optional()}).passthrough()]).optional(),
						timeoutSeconds: z.number().positive().optional(),
						// Runs one client may start: a burst, then a steady rate (see agents/run-policy.ts).
						runRateLimit: z.object({burst: z.number().int().positive().optional(), perSecond: z.number().positive().optional()}).strict().optional(),
					})
					.passthrough()
					.optional(),
				list: z.array(z.object({id: z.string().min(1)}).passthrough()).optional(),
			})
			.passthrough()
			.optional(),
		models: z
			.object({
				providers: z
					.record(
						z
							.object({
								baseUrl: z.string().url().optional(),
								apiKey: z.string().optional(),
								model: z.string().optional(),
							})
							.passthrough(),
					)
					.optional(),
			})
			.passthrough()
			.optional(),
		hooks: z
			.object({
				enabled: z.boolean().optional(),
				token: secret.optional(),
				path: z.string().startsWith('/').optional(),
				maxBodyBytes: z.number().int().positive().optional(),
				mappings: z.array(hookMapping).optional(),
			})
			.passthrough()
			.optional(),
	})
	.passthrough();

export type GatewayConfig = z.infer<typeof configSchema>;

/** One line per problem, each naming the key: `gateway.port: expected number, received string`. */
export function formatIssues(error: z.ZodError): string[] {
	return error.issues.map((issue) => {
		const key = issue.path.length > 0 ? issue.path.join('.') : '(root)';
		return `${key}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
	});
}
