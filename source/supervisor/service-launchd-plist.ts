// The LaunchAgent property list for a gateway, as text (render) and back (parse, for drift checks).
import type {DefinitionSummary, ServicePlan} from './service-plan.js';

function escapeXml(value: string): string {
	return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function unescapeXml(value: string): string {
	return value.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
}

export function renderLaunchdPlist(plan: ServicePlan, label: string): string {
	const string = (value: string) => `<string>${escapeXml(value)}</string>`;
	const env = Object.entries(plan.env)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([key, value]) => `\t\t<key>${escapeXml(key)}</key>\n\t\t${string(value)}`)
		.join('\n');
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	${string(label)}
	<key>ProgramArguments</key>
	<array>
${plan.programArguments.map((argument) => `\t\t${string(argument)}`).join('\n')}
	</array>
	<key>EnvironmentVariables</key>
	<dict>
${env}
	</dict>
	<key>WorkingDirectory</key>
	${string(plan.workingDirectory)}
	<key>RunAtLoad</key>
	<true/>
	<key>KeepAlive</key>
	<dict>
		<key>SuccessfulExit</key>
		<false/>
	</dict>
	<key>ThrottleInterval</key>
	<integer>5</integer>
	<key>StandardOutPath</key>
	${string(plan.logFile)}
	<key>StandardErrorPath</key>
	${string(plan.logFile)}
</dict>
</plist>
`;
}

function section(text: string, key: string, tag: 'array' | 'dict'): string {
	const match = new RegExp(`<key>${key}</key>\\s*<${tag}>([\\s\\S]*?)</${tag}>`).exec(text);
	return match?.[1] ?? '';
}

export function parseLaunchdPlist(text: string): DefinitionSummary {
	const strings = (block: string) => [...block.matchAll(/<string>([\s\S]*?)<\/string>/g)].map((match) => unescapeXml(match[1]));
	const env: Record<string, string> = {};
	for (const match of section(text, 'EnvironmentVariables', 'dict').matchAll(/<key>([\s\S]*?)<\/key>\s*<string>([\s\S]*?)<\/string>/g)) {
		env[unescapeXml(match[1])] = unescapeXml(match[2]);
	}

	const workingDirectory = /<key>WorkingDirectory<\/key>\s*<string>([\s\S]*?)<\/string>/.exec(text)?.[1];
	return {
		programArguments: strings(section(text, 'ProgramArguments', 'array')),
		env,
		workingDirectory: workingDirectory === undefined ? undefined : unescapeXml(workingDirectory),
	};
}
