// Where OpenClaw's own gateway writes its log, so `openclaw doctor` can read it when the gateway of a profile is
// OpenClaw's rather than ours. OpenClaw 2026.9.6 (src/logging/log-file-path.ts, resolveDefaultRollingLogFile):
// `logging.file` when set (`~` expanded; a name shaped `openclaw[-x]-YYYY-MM-DD.log` rolls with the local date),
// else `/tmp/openclaw/openclaw[-<profile>]-YYYY-MM-DD.log`, its profile segment encoded so that names cannot collide,
// and `<tmpdir>/openclaw-<uid>/` when /tmp/openclaw is not safe to use. JSON lines, one day per file.
import path from 'node:path';
import type {Env} from '../config/paths.js';
import {expandUserPath} from '../config/workspace.js';

const rollingName = /^(openclaw(?:-[a-z0-9-]+)?)-(\d{4}-\d{2}-\d{2})\.log$/;

export const openClawPreferredLogDir = '/tmp/openclaw';

/** OpenClaw's profile segment: a-z0-9 kept, `-` doubled, `_` -0, A-Z -1x, anything else -2<hex>-. */
export function openClawProfileSegment(profile: string | undefined): string | undefined {
	if (!profile || profile.toLowerCase() === 'default') {
		return undefined;
	}

	// Our profile names are at most 64 of [\w-] (192 encoded): under OpenClaw's 220, past which it hashes the name.
	let encoded = '';
	for (const char of profile) {
		encoded += /^[a-z0-9]$/.test(char) ? char : char === '-' ? '--' : char === '_' ? '-0' : /^[A-Z]$/.test(char) ? `-1${char.toLowerCase()}` : `-2${char.codePointAt(0)!.toString(16)}-`;
	}

	return encoded;
}

function localDate(date: Date): string {
	return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Today's and yesterday's (a failure logged before midnight is still recent). */
function days(now: Date): string[] {
	return [localDate(now), localDate(new Date(now.getTime() - 86_400_000))];
}

export type OpenClawLogInput = {
	/** The profile's `logging.file`, as written. */
	configured?: string;
	/** The profile selected (`OPENCLAW_PROFILE` for OpenClaw). */
	profile?: string;
	/**
	 * The state dir was chosen by OPENCLAW_STATE_DIR: OpenClaw's default file is then not this instance's (every
	 * instance told apart only by its state dir writes the same /tmp/openclaw/openclaw-<date>.log), so only a
	 * configured logging.file is.
	 */
	stateDirFromEnv?: boolean;
	env: Env;
	now: Date;
	/** os.tmpdir() and the user id: OpenClaw's fallback directory when /tmp/openclaw is not this user's. */
	tmpdir: string;
	uid?: number;
};

/** The files OpenClaw may be writing for this profile now, most likely first (the caller keeps those that exist). */
export function openClawLogFiles(input: OpenClawLogInput): string[] {
	const configured = input.configured?.trim();
	if (configured) {
		const file = path.resolve(expandUserPath(configured, input.env));
		const base = path.basename(file);
		const family = base === 'openclaw-YYYY-MM-DD.log' ? 'openclaw' : rollingName.exec(base)?.[1];
		return family ? days(input.now).map((day) => path.join(path.dirname(file), `${family}-${day}.log`)) : [file];
	}

	if (input.stateDirFromEnv) {
		return [];
	}

	const segment = openClawProfileSegment(input.profile);
	const name = (day: string) => `openclaw${segment ? `-${segment}` : ''}-${day}.log`;
	const dirs = [openClawPreferredLogDir, path.join(input.tmpdir, input.uid === undefined ? 'openclaw' : `openclaw-${input.uid}`)];
	return [...new Set(dirs)].flatMap((dir) => days(input.now).map((day) => path.join(dir, name(day))));
}
