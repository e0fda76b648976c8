// The failure signatures an operator meets, in one table: what the words look like (a gateway's output, its log, a
// refused connect), what they mean, and the fix. The gateway's start errors, the client's connect hints, the
// console's diagnosis line, `openclaw doctor` and the README all read it, so all of them say the same words.
//
// Two sources: the runbook's "common failure signatures" (our gateway prints those words), and OpenClaw's own
// gateway (its log lines and connect error detail codes, ../shared/reference/), so a diagnosis also works against it.
// Order matters: the first signature that matches wins, so the specific ones come before the general ones.

export type SignatureId =
	| 'bind-without-auth'
	| 'port-in-use'
	| 'mode-not-local'
	| 'config-missing'
	| 'password-not-set'
	| 'force-failed'
	| 'gateway-locked'
	| 'auth-rate-limited'
	| 'auth-password'
	| 'auth-token'
	| 'unauthorized'
	| 'device-identity-required'
	| 'pairing-required'
	| 'protocol-mismatch'
	| 'gateway-starting'
	| 'preauth-budget'
	| 'invalid-handshake';

/**
 * `start`: the gateway cannot start (its own output or log says why); `connect`: a client was refused. A start
 * signature is over once the gateway runs; a connect signature once the client gets in.
 */
export type SignaturePhase = 'start' | 'connect';

export type Signature = {
	id: SignatureId;
	phase: SignaturePhase;
	/** The words as an operator meets them (the README shows these). */
	words: string;
	/** Where the words come from: the runbook (our gateway prints them too) or OpenClaw's gateway. */
	origin: 'runbook' | 'openclaw';
	/** Text patterns, tried against a log line, an error message or a close reason. */
	patterns: readonly RegExp[];
	/** Connect error detail codes (`error.details.code`), tried before the patterns. */
	codes?: readonly string[];
	/** A few words: the console's one line under Runtime. */
	title: string;
	/** What it means. */
	means: string;
	/** What to do, as commands where there are some. */
	fix: string;
	/**
	 * The console key for a gateway the console started, and what it does (a verb). `afterFix`: the key is no fix in
	 * itself, it starts again once the operator made the fix (a config edit); without it, the key is the fix.
	 */
	key?: {key: string; does: string; afterFix?: boolean};
};

const startAgain = {key: 'S', does: 'start again', afterFix: true} as const;

export const signatures: readonly Signature[] = [
	{
		id: 'bind-without-auth',
		phase: 'start',
		words: 'refusing to bind gateway ... without auth',
		origin: 'runbook',
		patterns: [/refusing to bind gateway\b.*\bwithout auth/i],
		title: 'bind without auth',
		means: 'a non-loopback bind (gateway.bind lan, tailnet, custom) with no token or password: the gateway will not listen beyond this host unauthenticated',
		fix: 'give the gateway a token: openclaw setup (writes gateway.auth.token), or set gateway.auth.token in the config file (or OPENCLAW_GATEWAY_TOKEN / --token); or keep it on this host: set gateway.bind to "loopback" in the config file (or --bind loopback)',
		key: startAgain,
	},
	{
		id: 'port-in-use',
		phase: 'start',
		words: 'another gateway instance is already listening / EADDRINUSE',
		origin: 'runbook',
		patterns: [/another gateway instance is already listening/i, /\bEADDRINUSE\b/],
		title: 'port in use',
		means: 'the port is taken, usually by another gateway (a service, another terminal, another profile)',
		fix: 'stop the other gateway (openclaw gateway stop), or free the port and start (openclaw gateway --force), or use another port (--port / gateway.port)',
		key: {key: 'S', does: 'force-start'},
	},
	{
		id: 'mode-not-local',
		phase: 'start',
		words: 'Gateway start blocked: set gateway.mode=local',
		origin: 'runbook',
		patterns: [/Gateway start blocked: set gateway\.mode=local/i, /Gateway start blocked: existing config is missing gateway\.mode/i],
		title: 'mode not local',
		means: 'the config is not for a gateway on this host (gateway.mode is remote, or unset): it is set up as a client',
		fix: 'set gateway.mode to "local" in the config file (openclaw setup writes it), or run with --allow-unconfigured',
		key: startAgain,
	},
	{
		id: 'config-missing',
		phase: 'start',
		words: 'Missing config. Run openclaw setup or set gateway.mode=local',
		origin: 'openclaw',
		patterns: [/\bMissing config\b/],
		title: 'no config file',
		means: 'there is no config file where this profile looks for one',
		fix: 'openclaw setup (writes the config file with gateway.mode "local" and a gateway.auth.token), or run with --allow-unconfigured',
		key: startAgain,
	},
	{
		id: 'password-not-set',
		phase: 'start',
		words: 'Gateway auth is set to password, but no password is configured',
		origin: 'openclaw',
		patterns: [/Gateway auth is set to password, but no password is configured/i],
		title: 'no password set',
		means: 'gateway.auth.mode is password and no password is set anywhere',
		fix: 'set gateway.auth.password in the config file (or OPENCLAW_GATEWAY_PASSWORD, or --password); or use a token: set gateway.auth.mode to "token" (openclaw setup writes gateway.auth.token)',
		key: startAgain,
	},
	{
		id: 'force-failed',
		phase: 'start',
		words: 'Could not free port',
		origin: 'openclaw',
		patterns: [/Could not free port\b/i],
		title: 'could not free the port',
		means: '--force found the port taken but could not stop what holds it (another user, or it would not die)',
		fix: 'openclaw gateway status --deep names the listener; stop it yourself, or use another port (--port / gateway.port)',
	},
	{
		id: 'gateway-locked',
		phase: 'start',
		words: 'gateway already running (pid N); lock timeout',
		origin: 'openclaw',
		patterns: [/gateway already running \(pid \w+\); lock timeout/i],
		title: 'another gateway holds the lock',
		means: 'another gateway process runs on the same state dir',
		fix: 'openclaw gateway status, then openclaw gateway stop (or give this one its own OPENCLAW_STATE_DIR)',
	},
	{
		id: 'auth-rate-limited',
		phase: 'connect',
		words: 'unauthorized: too many failed authentication attempts',
		origin: 'openclaw',
		patterns: [/too many failed authentication attempts/i],
		codes: ['AUTH_RATE_LIMITED'],
		title: 'auth locked out',
		means: 'too many refused credentials from this address: the gateway refuses it for a while',
		fix: 'fix the credentials (--token / --password), then wait for the lockout to pass (up to 5 minutes)',
	},
	{
		id: 'auth-password',
		phase: 'connect',
		words: 'unauthorized: gateway password mismatch / missing',
		origin: 'openclaw',
		patterns: [/unauthorized: gateway password (mismatch|missing)/i],
		codes: ['AUTH_PASSWORD_MISMATCH', 'AUTH_PASSWORD_MISSING', 'AUTH_PASSWORD_NOT_CONFIGURED'],
		title: 'password refused',
		means: "the client sent no password, or not this gateway's",
		fix: 'pass the gateway password with --password or OPENCLAW_GATEWAY_PASSWORD (it is gateway.auth.password on the gateway host)',
	},
	{
		id: 'auth-token',
		phase: 'connect',
		words: 'unauthorized: gateway token mismatch (AUTH_TOKEN_MISMATCH) / missing',
		origin: 'openclaw',
		patterns: [/unauthorized: gateway token (mismatch|missing)/i],
		codes: ['AUTH_TOKEN_MISMATCH', 'AUTH_TOKEN_MISSING', 'AUTH_TOKEN_NOT_CONFIGURED', 'AUTH_DEVICE_TOKEN_MISMATCH'],
		title: 'token refused',
		means: "the client sent no token, or not this gateway's",
		fix: 'pass the gateway token with --token or OPENCLAW_GATEWAY_TOKEN (it is in gateway.auth.token or <state dir>/gateway.token on the gateway host)',
	},
	{
		id: 'unauthorized',
		phase: 'connect',
		words: 'unauthorized during connect',
		origin: 'runbook',
		patterns: [/(^|: )unauthorized\b/i],
		codes: ['AUTH_UNAUTHORIZED', 'AUTH_REQUIRED'],
		title: 'unauthorized',
		means: 'client and gateway disagree about auth: the gateway refused the credentials',
		fix: "pass this gateway's token or password (--token / --password, or OPENCLAW_GATEWAY_TOKEN / OPENCLAW_GATEWAY_PASSWORD)",
	},
	{
		id: 'device-identity-required',
		phase: 'connect',
		words: 'device identity required (DEVICE_IDENTITY_REQUIRED)',
		origin: 'openclaw',
		patterns: [/device identity required/i],
		codes: ['DEVICE_IDENTITY_REQUIRED', 'CONTROL_UI_DEVICE_IDENTITY_REQUIRED'],
		title: 'device identity required',
		means: 'the client sent no shared secret, so the gateway asked for a paired device identity instead',
		fix: 'pass the gateway token with --token or OPENCLAW_GATEWAY_TOKEN (or the password with --password)',
	},
	{
		id: 'pairing-required',
		phase: 'connect',
		words: 'pairing required (PAIRING_REQUIRED)',
		origin: 'openclaw',
		patterns: [/pairing required/i],
		codes: ['PAIRING_REQUIRED'],
		title: 'device not paired',
		means: 'this device is not paired with the gateway yet',
		fix: 'approve its pairing request on the gateway (openclaw devices list, then openclaw devices approve <requestId>, as an operator with operator.pairing), or connect with the gateway token (--token)',
	},
	{
		id: 'protocol-mismatch',
		phase: 'connect',
		words: 'protocol mismatch (PROTOCOL_MISMATCH)',
		origin: 'openclaw',
		patterns: [/protocol mismatch/i],
		codes: ['PROTOCOL_MISMATCH'],
		title: 'protocol mismatch',
		means: 'client and gateway speak different protocol versions (this one speaks 4)',
		fix: 'update the older side so both speak protocol 4 (openclaw --version on each host)',
	},
	{
		id: 'gateway-starting',
		phase: 'connect',
		words: 'gateway starting; retry shortly',
		origin: 'openclaw',
		patterns: [/gateway starting; retry shortly/i, /connect unavailable during gateway (restart|suspension)/i],
		title: 'gateway still starting',
		means: 'the gateway listens but does not take clients yet (start-up or a restart under way)',
		fix: 'wait: clients retry on their own (openclaw gateway status says when it is ready)',
	},
	{
		id: 'preauth-budget',
		phase: 'connect',
		words: 'Too many unauthenticated sockets / unauthenticated socket budget exhausted',
		origin: 'openclaw',
		// OpenClaw's 503 to the upgrade and our close reason; our log line when it evicts the oldest socket.
		patterns: [/Too many unauthenticated sockets/i, /unauthenticated socket budget exhausted/i],
		title: 'too many pending sockets',
		means: 'one address holds many connections that never authenticated (a stuck or misbehaving client)',
		fix: 'stop the stuck client, or raise OPENCLAW_MAX_PREAUTH_CONNECTIONS_PER_IP on the gateway',
	},
	{
		id: 'invalid-handshake',
		phase: 'connect',
		words: 'invalid handshake: first request must be connect',
		origin: 'runbook',
		patterns: [/invalid handshake: first request must be connect/i],
		title: 'not an OpenClaw client',
		means: 'something talked to the gateway port without the protocol (its first frame must be connect)',
		fix: 'point that client at the right port, or use an OpenClaw protocol client',
	},
];

const byId = new Map(signatures.map((signature) => [signature.id, signature]));

export function signature(id: SignatureId): Signature {
	return byId.get(id)!;
}

/** The signature `text` shows (and, for a refused connect, its detail code), or undefined. A code wins over words. */
export function matchSignature(text: string, code?: string): Signature | undefined {
	if (code) {
		const byCode = signatures.find((candidate) => candidate.codes?.includes(code));
		if (byCode) {
			return byCode;
		}
	}

	return signatures.find((candidate) => candidate.patterns.some((pattern) => pattern.test(text)));
}

/** A connect error's detail code (`error.details.code`), the part OpenClaw tells clients to branch on. */
export function detailCode(error: {details?: unknown} | undefined): string | undefined {
	const details = error?.details;
	return typeof details === 'object' && details !== null && typeof (details as {code?: unknown}).code === 'string' ? (details as {code: string}).code : undefined;
}

/** `Fix: ...` as every message that carries one writes it. */
export function fixSentence(signature: Signature): string {
	return `Fix: ${signature.fix}.`;
}

/** An error message with its signature's fix appended (one line), or the message as it is when it has none. */
export function withFix(message: string, code?: string): string {
	const found = matchSignature(message, code);
	if (!found) {
		return message;
	}

	const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
	return `${sentence} ${fixSentence(found)}`;
}

/** What a signature means, as the Logs pane and `doctor` say it. */
export function meaningSentence(signature: Signature): string {
	return `${signature.title}: ${signature.means}.`;
}

/** The whole diagnosis, the fix first (a log row cut at the edge of the screen still shows it), then the meaning. */
export function diagnosisSentence(signature: Signature): string {
	return `${signature.title}. ${fixSentence(signature)} It means ${signature.means}.`;
}

/** The console's one line under Runtime: the title, and the key when the console can apply the fix. */
export function diagnosisLine(signature: Signature, keyApplies: boolean): string {
	return keyApplies && signature.key ? `${signature.title}; ${signature.key.key}: ${signature.key.does}` : signature.title;
}

function cell(text: string): string {
	return text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The README's "When something is wrong" table, generated from this one. */
export function signaturesMarkdown(list: readonly Signature[] = signatures): string {
	const rows = list.map((item) => {
		const key = item.key ? (item.key.afterFix ? `; then, in the console, \`${item.key.key}\` to ${item.key.does}` : `; in the console: \`${item.key.key}\` to ${item.key.does}`) : '';
		return `| \`${cell(item.words)}\` | ${cell(item.means)} | ${cell(item.fix)}${cell(key)} |`;
	});
	return ['| Signature | What it means | Fix |', '| --- | --- | --- |', ...rows].join('\n');
}
