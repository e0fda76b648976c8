// `Ctrl-S` in the Logs pane: the lines the view holds, after its filter and level, as a plain text file an operator can
// attach to a bug report or grep. Each record as the gateway writes plain logs (`<iso time> LEVEL subsystem message`):
// the full time where the pane shows the time of day, no colours, no cut at the terminal's width; a record's further
// lines (a stack trace) indented under it.
import {filteredLines, type LogsState} from './logs.js';

export function logExportText(state: LogsState): {text: string; count: number} {
	const lines = filteredLines(state);
	const out: string[] = [];
	for (const line of lines) {
		const level = (line.level ?? '-').toUpperCase().padEnd(5);
		out.push(`${line.time ?? '-'} ${level} ${line.subsystem ? `${line.subsystem} ` : ''}${line.message}`);
		for (const text of line.continuation ?? []) {
			out.push(`    ${text}`);
		}
	}

	return {text: out.length > 0 ? `${out.join('\n')}\n` : '', count: lines.length};
}

/** `openclaw-logs-<host>-<port>-<YYYYMMDD-HHMMSS>.log` (local time): which gateway, and when, at a glance in a listing. */
export function logExportName(url: string | undefined, at: Date): string {
	let where = 'gateway';
	try {
		const parsed = url ? new URL(url) : undefined;
		where = parsed ? `${parsed.hostname.replaceAll(/[^\w.-]/g, '')}-${parsed.port || (parsed.protocol === 'wss:' ? '443' : '80')}` : where;
	} catch {
		// Not a URL (never expected): the generic name is still a good one.
	}

	const pad = (value: number) => String(value).padStart(2, '0');
	const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
	return `openclaw-logs-${where}-${stamp}.log`;
}
