// The systemd user unit for a gateway, as text (render) and back (parse, for drift checks). Field choices follow
// OpenClaw's generated unit: restart always but not on exit 78 (configuration error), mixed kill mode.
import type {DefinitionSummary, ServicePlan} from './service-plan.js';

/** systemd quoting for one ExecStart word / Environment assignment. */
function quote(value: string): string {
	return /^[\w@%+=:,./-]+$/.test(value) ? value : `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function unquote(value: string): string {
	return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replaceAll('\\"', '"').replaceAll('\\\\', '\\') : value;
}

/** Split a systemd command line into words, honouring double quotes. */
function splitWords(line: string): string[] {
	const words = line.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
	return words.map(unquote);
}

export function renderSystemdUnit(plan: ServicePlan): string {
	const lines = [
		'[Unit]',
		`Description=OpenClaw Gateway${plan.profile ? ` (profile ${plan.profile})` : ''}`,
		'After=network-online.target',
		'Wants=network-online.target',
		'StartLimitBurst=10',
		'StartLimitIntervalSec=300',
		'',
		'[Service]',
		`ExecStart=${plan.programArguments.map(quote).join(' ')}`,
		'Restart=always',
		'RestartSec=5',
		'RestartPreventExitStatus=78',
		'TimeoutStopSec=30',
		'TimeoutStartSec=30',
		'SuccessExitStatus=0 143',
		'KillMode=mixed',
		`WorkingDirectory=${plan.workingDirectory}`,
		...Object.entries(plan.env)
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([key, value]) => `Environment=${quote(`${key}=${value}`)}`),
		'',
		'[Install]',
		'WantedBy=default.target',
		'',
	];
	return lines.join('\n');
}

export function parseSystemdUnit(text: string): DefinitionSummary {
	const summary: DefinitionSummary = {programArguments: [], env: {}};
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		const eq = line.indexOf('=');
		if (eq <= 0 || line.startsWith('#') || line.startsWith(';')) {
			continue;
		}

		const key = line.slice(0, eq);
		const value = line.slice(eq + 1);
		if (key === 'ExecStart') {
			summary.programArguments = splitWords(value);
		} else if (key === 'WorkingDirectory') {
			summary.workingDirectory = value;
		} else if (key === 'Environment') {
			for (const assignment of splitWords(value)) {
				const at = assignment.indexOf('=');
				if (at > 0) {
					summary.env[assignment.slice(0, at)] = assignment.slice(at + 1);
				}
			}
		}
	}

	return summary;
}
