// `config.*`: reading, validating and writing the gateway's config file, and its JSON Schema. The config itself is
// whatever the file holds (valid or not), so it stays `unknown` here: readers check it as they would any JSON.
import type {ReloadMode} from '../index.js';
import type {UnknownKey} from '../unknown-keys-summary.js';
import type {NoParams} from './gateway.js';

export type ReloadResult = 'applied' | 'pending' | 'restarting' | 'error' | 'ignored';
/** How a change to a config path takes effect. */
export type ReloadClass = 'restart' | 'hot' | 'none';

/** `health.configReload`: the reload pipeline's state. */
export type ConfigReloadHealth = {
	hotReloadStatus: 'active' | 'disabled';
	mode: ReloadMode;
	watch: 'fs.watch' | 'poll' | 'off';
	pendingPaths: string[];
	lastReload?: {ts: number; result: ReloadResult; changedPaths: string[]; restarted?: boolean};
	configError?: string;
	appliedConfigHash: string;
	fileHash: string;
	unknownKeys: UnknownKey[];
	unknownKeysOmitted?: number;
};

/** One reload the pipeline ran (a `config.reload` event, and `reload` of a config write). */
export type ReloadEvent = {
	mode: ReloadMode;
	result: ReloadResult;
	changedPaths: string[];
	pendingPaths: string[];
	error?: string;
	hash: string;
	ts: number;
};

export type ConfigIssue = {path: string; message: string};

export type ConfigGetResult = {
	path: string;
	exists: boolean;
	valid: boolean;
	/** The file's value with secrets redacted (the last good config when the file does not parse): free-form. */
	config: unknown;
	raw: string;
	parsed?: unknown;
	/** OpenClaw's: the config the gateway runs on. This gateway never sends it. */
	runtimeConfig?: unknown;
	issues: ConfigIssue[];
	warnings: string[];
	hash: string;
	configRevisionHash: string;
	appliedConfigHash: string;
};

/** What config.set, config.patch and config.apply answer. */
export type ConfigWriteResult = {
	ok: true;
	path: string;
	hash: string;
	/** The config as written, secrets redacted: free-form. */
	config: unknown;
	changedPaths: string[];
	noop?: boolean;
	/** How the file was written: edited in place (`kept`), created (`new`), or rewritten as plain JSON (see warnings). */
	formatting?: 'kept' | 'new' | 'rewritten';
	warnings?: string[];
	restart: {required: boolean; scheduled: boolean};
	reload?: ReloadEvent;
};

/** A JSON Schema document (or one node of it): free-form by nature. */
export type JsonSchema = Record<string, unknown>;

export type ConfigSetParams = {raw: string; baseHash?: string; sessionKey?: string; note?: string};
export type ConfigPatchParams = {
	raw: string;
	baseHash?: string;
	replacePaths?: string[];
	sessionKey?: string;
	note?: string;
	restartDelayMs?: number;
};
export type ConfigApplyParams = {
	raw: string;
	baseHash?: string;
	sessionKey?: string;
	deliveryContext?: unknown;
	note?: string;
	restartDelayMs?: number;
};

export type ConfigMethods = {
	'config.get': {params: NoParams; result: ConfigGetResult};
	'config.set': {params: ConfigSetParams; result: ConfigWriteResult};
	'config.patch': {params: ConfigPatchParams; result: ConfigWriteResult};
	'config.apply': {params: ConfigApplyParams; result: ConfigWriteResult};
	/** `uiHints` is OpenClaw's per-path UI metadata; this gateway sends none. */
	'config.schema': {params: NoParams; result: {schema: JsonSchema; uiHints: Record<string, never>}};
	'config.schema.lookup': {params: {path: string}; result: {path: string; schema: JsonSchema; reloadKind: ReloadClass}};
};
