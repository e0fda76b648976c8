// The operator commands (status, health, channels, pairing, devices, logs, service lifecycle, doctor, setup): words, help and flags.
// Kept apart from registry.ts so that table stays readable; registry.ts appends these. Each command's flag
// definitions are a named object that its module types its flags from (CommandContext<typeof statusFlags>).
import type {AnyFlags} from 'meow';
import {defineCommand, type CommandSpec} from './command-spec.js';

export const connectionFlags = {
	json: {type: 'boolean', default: false},
	url: {type: 'string'},
	token: {type: 'string'},
	password: {type: 'string'},
	port: {type: 'string'},
	timeout: {type: 'string'},
} satisfies AnyFlags;

export const serviceFlags = {json: {type: 'boolean', default: false}, port: {type: 'string'}} satisfies AnyFlags;
export const gatewayStatusFlags = {...connectionFlags, requireRpc: {type: 'boolean', default: false}} satisfies AnyFlags;
export const gatewayCallFlags = {...connectionFlags, params: {type: 'string'}} satisfies AnyFlags;
export const statusFlags = {...connectionFlags, deep: {type: 'boolean', default: false}, all: {type: 'boolean', default: false}} satisfies AnyFlags;
export const channelsStatusFlags = {...connectionFlags, probe: {type: 'boolean', default: false}, channel: {type: 'string'}} satisfies AnyFlags;
export const fleetStatusFlags = {json: {type: 'boolean', default: false}, fleet: {type: 'string'}, timeout: {type: 'string'}} satisfies AnyFlags;
export const logsFlags = {
	...connectionFlags,
	follow: {type: 'boolean', shortFlag: 'f', default: false},
	limit: {type: 'string'},
	maxBytes: {type: 'string'},
	interval: {type: 'string'},
	level: {type: 'string'},
	utc: {type: 'boolean', default: false},
} satisfies AnyFlags;
export const doctorFlags = {
	json: {type: 'boolean', default: false},
	all: {type: 'boolean', default: false},
	fix: {type: 'boolean', default: false},
	repair: {type: 'boolean', default: false},
	port: {type: 'string'},
} satisfies AnyFlags;
export const pairingListFlags = {...connectionFlags, channel: {type: 'string'}} satisfies AnyFlags;
export const pairingApproveFlags = {...connectionFlags, channel: {type: 'string'}, notify: {type: 'boolean', default: false}} satisfies AnyFlags;
export const devicesListFlags = connectionFlags;
export const devicesApproveFlags = {...connectionFlags, latest: {type: 'boolean', default: false}} satisfies AnyFlags;
export const devicesRevokeFlags = {...connectionFlags, device: {type: 'string'}, role: {type: 'string'}} satisfies AnyFlags;
export const setupFlags = {json: {type: 'boolean', default: false}, force: {type: 'boolean', default: false}, port: {type: 'string'}} satisfies AnyFlags;

const connectionOptions = `
  --json              Machine-readable output
  --url ws://H:P      Gateway to talk to (default ws://127.0.0.1:<resolved port>; needs --token or --password)
  --token TOKEN       Gateway token (default: OPENCLAW_GATEWAY_TOKEN, gateway.auth.token, <state dir>/gateway.token)
  --password PW       Gateway password (default: OPENCLAW_GATEWAY_PASSWORD, gateway.auth.password)
  --port N            Local gateway port (default: OPENCLAW_GATEWAY_PORT, gateway.port, 18789; --dev 19001)
  --timeout MS        Give up after this long (default 10000)

Root options (before the command): --profile NAME, --dev`;

const connectionHelp = `${connectionOptions}
Exit codes: 0 ok, 1 failure (gateway down, auth failed, probe failed), 2 bad usage`;

function healthSpec(words: string[]): CommandSpec {
	return defineCommand({
		words,
		summary: 'Gateway health over WebSocket: channels, reload, config, uptime, event loop',
		usage: `Usage: openclaw ${words.join(' ')} [options]

Asks the running gateway for its health (the \`health\` RPC) and prints a short summary.

Options${connectionHelp}`,
		flags: connectionFlags,
		load: async () => import('./health.js'),
	});
}

function lifecycleSpec(action: 'install' | 'uninstall' | 'start' | 'stop' | 'restart', summary: string, detail: string): CommandSpec {
	return defineCommand({
		words: ['gateway', action],
		summary,
		usage: `Usage: openclaw gateway ${action} [options]

${detail}

Linux: systemd user unit openclaw-gateway.service (openclaw-gateway-<profile>.service with --profile).
macOS: LaunchAgent ai.openclaw.gateway (ai.openclaw.<profile>).
Where no service manager answers (containers, CI), a detached process with its pid and log in
<state dir>/service/; OPENCLAW_SERVICE_MANAGER=systemd|launchd|detached forces a choice.

Options
  --port N            Port the service runs on (default: OPENCLAW_GATEWAY_PORT, gateway.port, 18789)
  --json              Machine-readable output

Root options (before the command): --profile NAME, --dev
Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 78 configuration error (the config file is invalid, the port is
busy, or the gateway exited 78 refusing its config or bind): retrying fails the same way until it is fixed`,
		flags: serviceFlags,
		load: async () => (await import('./gateway-service.js')).forAction(action),
	});
}

export const operatorCommands: CommandSpec[] = [
	defineCommand({
		words: ['gateway', 'status'],
		summary: 'Service state, config and the live gateway runtime (RPC probe)',
		usage: `Usage: openclaw gateway status [options]

Shows the service manager's view of the gateway, the config in use, and the running gateway's runtime
(pid, uptime, version, bind, port) through a \`status\` RPC. A healthy gateway prints
"Runtime: running" and "RPC probe: ok". "Capability:" is what the gateway granted these credentials:
admin-capable, write-capable, read-only, or connected-no-operator-scope.

Options
  --require-rpc       Exit 1 unless the RPC probe succeeds (for scripts and health checks). This command always
                      does; the flag is accepted so scripts written for OpenClaw run unchanged${connectionOptions}
Exit codes: 0 the RPC probe succeeded; 1 it failed (gateway down, auth refused, timed out: the reason is printed),
with or without --require-rpc; 2 bad usage`,
		flags: gatewayStatusFlags,
		load: async () => import('./gateway-status.js'),
	}),
	healthSpec(['gateway', 'health']),
	defineCommand({
		words: ['gateway', 'call'],
		summary: 'Call one gateway method and print its answer as JSON',
		usage: `Usage: openclaw gateway call <method> [--params JSON] [options]

Sends one request to the running gateway and prints the answer (the \`res\` payload) as JSON. The gateway decides what
the connection may call: a method it lacks or a scope it did not grant is an error (exit 1), printed with its code.

  openclaw gateway call health
  openclaw gateway call channels.status --params '{"probe": true}'

Options
  --params JSON       The method's params, a JSON object${connectionHelp}`,
		flags: gatewayCallFlags,
		load: async () => import('./gateway-call.js'),
	}),
	defineCommand({
		words: ['gateway', 'probe'],
		summary: 'Is the gateway reachable, and does it accept the credentials? (connect + health)',
		usage: `Usage: openclaw gateway probe [options]

Connects as OpenClaw's status probe does (a probe-mode \`connect\`, then one \`health\` request) and reports
whether the gateway is reachable, how fast it answered, its version, and whether it accepted the credentials.
It reads no service manager state: for that, openclaw gateway status.

Options${connectionOptions}
Exit codes: 0 reachable and authenticated, and health answered; 1 not reachable or timed out, or reachable but
the credentials were refused (the reason and the fix are printed), or health did not answer; 2 bad usage`,
		flags: connectionFlags,
		load: async () => import('./gateway-probe.js'),
	}),
	healthSpec(['health']),
	defineCommand({
		words: ['status'],
		summary: 'One-screen summary: gateway, channels, agents, sessions',
		usage: `Usage: openclaw status [--deep | --all] [options]

One screen: the gateway (runtime, reachability), channels, agents and sessions.

Options
  --deep              Also run each channel's live probe (channels.status probe) and ask for health
                      (round trip, per-client budgets); a failed probe or health fails the command
  --all               Everything status knows, to paste into a bug report: --deep plus this machine's view
                      (version, Node, service manager, config validity, state dir, log file, process)${connectionOptions}
Exit codes: 0 ok; 1 gateway down or auth failed, or (--deep, --all) a channel probe or health failed; 2 bad usage`,
		flags: statusFlags,
		load: async () => import('./status.js'),
	}),
	defineCommand({
		words: ['channels', 'status'],
		summary: 'Channel readiness (--probe runs live probes)',
		usage: `Usage: openclaw channels status [--probe] [options]

Prints "Gateway reachable." and one line per channel account with its readiness.

Options
  --probe             Run each channel's live probe against its service
  --channel ID        Only this channel${connectionHelp}`,
		flags: channelsStatusFlags,
		load: async () => import('./channels-status.js'),
	}),
	...pairingSpecs(),
	...devicesSpecs(),
	defineCommand({
		words: ['fleet', 'status'],
		summary: 'Every gateway you run, one row each (profiles on this host, the fleet file, ssh hosts)',
		usage: `Usage: openclaw fleet status [--fleet FILE] [--json] [--timeout MS]

Probes every gateway of the fleet once, in parallel (8 at a time), and prints one row each: name, where (local
profile, ws:// URL, ssh user@host), state (running, unreachable since HH:MM (why), auth failed, restarting),
version, RPC probe latency, channels ready/total, sessions, reload mode, last error.

The fleet: every profile state dir under home (~/.openclaw, ~/.openclaw-NAME, ~/.openclaw-dev, each with its own
config, port and token; OPENCLAW_STATE_DIR and friends apply to the profile they select), then the fleet file, then
the gateways added from the console. Fleet file (JSON5; default ~/.config/openclaw/fleet.json5):

  {
    gateways: [
      {name: "alpha", url: "ws://10.0.0.5:18789", tokenFile: "~/.config/openclaw/alpha.token"},
      {name: "vps", ssh: "ops@vps.example:22", remotePort: 18789, identity: "~/.ssh/id_ed25519", tokenFile: "vps.token"},
    ],
    profiles: true,   // false: leave this host's profiles out
  }

Each entry takes one of token, tokenFile (read at each connect) or password. Gateways on one ssh host share one
ssh connection (one -L each), reopened with backoff.

Options
  --fleet FILE        The fleet file (default ~/.config/openclaw/fleet.json5; $XDG_CONFIG_HOME/openclaw if set)
  --json              Machine-readable output: {ok, rows: [...], fleetFile, warnings}
  --timeout MS        Per gateway: give up on its connect or probe after this long (default 10000)

Exit codes: 0 every gateway answered its probe; 1 one or more did not (its row says why), or no gateway was found;
2 bad usage (an unknown flag, a fleet file that is missing or invalid: the entry and key are named)`,
		flags: fleetStatusFlags,
		load: async () => import('./fleet-status.js'),
	}),
	defineCommand({
		words: ['logs'],
		summary: 'Print the gateway log tail (--follow keeps following)',
		usage: `Usage: openclaw logs [--follow] [--limit N] [--level L] [options]

Prints the gateway's log tail as "<time> <LEVEL> <subsystem> <message>" (non-JSON lines as they are).
With --follow it keeps one connection open and follows by cursor, across log rotation and gateway restarts.
Without --follow, when the local gateway does not answer, its log file is read instead (and that is said on stderr).

Options
  -f, --follow        Keep printing new lines
  --limit N           Lines of tail to start with (default 200)
  --max-bytes N       Bytes of tail to read per request (default 250000)
  --interval MS       Poll interval while following (default 1000; new-line events wake it sooner)
  --level L           Only this level and worse: fatal, error, warn, info, debug, trace
  --utc               Times in UTC (default local time)${connectionHelp.replace('  --json              Machine-readable output', '  --json              One JSON object per line ({type:"meta"|"log"|"raw"|"notice"})')}`,
		flags: logsFlags,
		load: async () => import('./logs.js'),
	}),
	lifecycleSpec('install', 'Install the gateway as a service and start it', 'Writes the service definition from the resolved config (port, state dir, config path, env) and starts it.'),
	lifecycleSpec('uninstall', 'Stop the gateway service and remove its definition', 'Stops the service and removes its definition.'),
	lifecycleSpec('start', 'Start the gateway service', 'Starts the installed service (detached mode: starts the gateway from the current config if not installed).'),
	lifecycleSpec('stop', 'Stop the gateway service', 'Stops the service (detached mode: SIGTERM, then SIGKILL after 5 s).'),
	lifecycleSpec(
		'restart',
		'Restart the gateway service',
		'Restarts the service. In detached mode a reachable gateway restarts in-process (gateway.restart.request); otherwise stop + start.',
	),
	defineCommand({
		words: ['doctor'],
		summary: 'Audit config, service drift, permissions, token, port and pid files (--fix repairs)',
		usage: `Usage: openclaw doctor [--all] [--fix] [options]

Checks config validity, service definition drift against the current config, state dir and secret file
permissions, token presence, port conflicts and stale pid files. One line per check: ok, warn or fail,
with the fix. --fix repairs what is safe (permissions, stale pid file, drifted service definition).

--all audits every profile on this host (~/.openclaw*, and the one the environment selects) and the gateways
running on them: each needs its own gateway.port, config path, state dir and agents.defaults.workspace. Each
collision names both profiles, the shared value and the fix; --fix moves a shared workspace inside the profile's
own state dir (the config's comments are kept) and leaves the rest to you with the exact command.

Options
  --all               Audit every profile of this host against each other
  --fix               Apply the safe repairs
  --port N            Port to check (default: OPENCLAW_GATEWAY_PORT, gateway.port, 18789)
  --json              Machine-readable output

Root options (before the command): --profile NAME, --dev
Exit codes: 0 no failures, 1 at least one check failed, 2 bad usage`,
		flags: doctorFlags,
		load: async () => import('./doctor.js'),
	}),
	defineCommand({
		words: ['setup'],
		summary: 'Write a starter config (gateway.mode=local, a generated token, the profile port)',
		usage: `Usage: openclaw setup [--force] [options]

Writes a valid starter config to the profile's config path (OPENCLAW_CONFIG_PATH, else <state dir>/openclaw.json):
gateway.mode=local, a generated gateway.auth.token and a port: the profile's default (18789; --dev 19001), or, when
another profile on this host (~/.openclaw*) uses a port within 20 of it or something listens on it, the next one
20 up that is clear (OpenClaw derives browser/canvas ports from it). It says which it passed over and why.

Options
  --force             Overwrite an existing config
  --port N            Port to write, as given (default: chosen as above)
  --json              Machine-readable output

Root options (before the command): --profile NAME, --dev`,
		flags: setupFlags,
		load: async () => import('./setup.js'),
	}),
];

/** `pairing list|approve|reject`: the owner's side of a channel's `dmPolicy: "pairing"`. */
function pairingSpecs(): CommandSpec[] {
	const forms = `The channel may be given positionally or with --channel; when the gateway has one pairing channel, it is the
default. Codes are the 8 characters the sender was sent; requests last an hour (at most 3 wait per channel).`;
	return [
		defineCommand({
			words: ['pairing', 'list'],
			summary: 'Pending DM pairing requests of the channels (dmPolicy "pairing")',
			usage: `Usage: openclaw pairing list [channel] [options]

Lists the senders waiting for approval: code, sender, channel and when they asked.

Options
  --channel ID        Only this channel (telegram, discord, slack, webhook)${connectionHelp}`,
			flags: pairingListFlags,
			load: async () => (await import('./pairing.js')).forAction('list'),
		}),
		defineCommand({
			words: ['pairing', 'approve'],
			summary: 'Approve a pairing code: that sender may talk to the agent from now on',
			usage: `Usage: openclaw pairing approve <channel> <code> [options]

${forms}

Options
  --channel ID        The channel (instead of the first argument)
  --notify            Tell the sender on the same channel that they were approved${connectionHelp}`,
			flags: pairingApproveFlags,
			load: async () => (await import('./pairing.js')).forAction('approve'),
		}),
		defineCommand({
			words: ['pairing', 'reject'],
			summary: 'Reject a pairing code: the request is dropped and nothing is allowed',
			usage: `Usage: openclaw pairing reject <channel> <code> [options]

${forms}

Options
  --channel ID        The channel (instead of the first argument)${connectionHelp}`,
			flags: pairingListFlags,
			load: async () => (await import('./pairing.js')).forAction('reject'),
		}),
	];
}

/** `devices list|approve|reject|revoke`: the gateway's device pairing store (OpenClaw's `devices` argument forms). */
function devicesSpecs(): CommandSpec[] {
	const devicesHelp = `${connectionOptions}
Exit codes: 0 ok; 1 failure (gateway down, auth refused, no such request or device token, a method the gateway
does not serve); 2 bad usage`;
	return [
		defineCommand({
			words: ['devices', 'list'],
			summary: 'Pending device pairing requests and paired devices',
			usage: `Usage: openclaw devices list [options]

Lists the devices waiting for approval (request id, device, role, scopes, client, when they asked) and the paired
devices (device id, roles, approved scopes, client, when paired, connected now). A device waits when it connects
with its identity from off this host, or from anywhere under gateway.nodes.pairing.autoApproveLocal: false.
--json prints the gateway's device.pair.list answer ({pending, paired}).

Options${devicesHelp}`,
			flags: devicesListFlags,
			load: async () => (await import('./devices.js')).forAction('list'),
		}),
		defineCommand({
			words: ['devices', 'approve'],
			summary: 'Approve a pending device pairing request: that device may connect',
			usage: `Usage: openclaw devices approve <requestId> [options]

Approves the request (device.pair.approve); the device's next connect is let in and issued a device token.
Without a request id, or with --latest, it shows the newest pending request and the exact command to approve it,
and approves nothing (exit 1), as OpenClaw's own command does.

Options
  --latest            Show the newest pending request to approve explicitly${devicesHelp}`,
			flags: devicesApproveFlags,
			load: async () => (await import('./devices.js')).forAction('approve'),
		}),
		defineCommand({
			words: ['devices', 'reject'],
			summary: 'Reject a pending device pairing request: nothing is allowed',
			usage: `Usage: openclaw devices reject <requestId> [options]

Drops the request (device.pair.reject) and closes the device's open connections.

Options${devicesHelp}`,
			flags: devicesListFlags,
			load: async () => (await import('./devices.js')).forAction('reject'),
		}),
		defineCommand({
			words: ['devices', 'revoke'],
			summary: 'Revoke a paired device\'s token for a role (its connections in that role are closed)',
			usage: `Usage: openclaw devices revoke --device <id> --role <role> [options]

Ends the device token issued to that device for that role (device.token.revoke); its open connections in the role
are closed (4001) and its next connect with the token is refused. openclaw devices list shows the device ids and
their roles.

Options
  --device ID         The paired device (its full id)
  --role ROLE         The role whose token ends (operator, node)${devicesHelp}`,
			flags: devicesRevokeFlags,
			load: async () => (await import('./devices.js')).forAction('revoke'),
		}),
	];
}
