// The command table: words, help text and flags of every `openclaw` command, with a lazy loader for its code, so
// `openclaw gateway status` never loads Ink, React or another command's modules.
import type {AnyFlags} from 'meow';
import {defineCommand, type CommandSpec} from './command-spec.js';
import {operatorCommands} from './operator-commands.js';

export type {CommandContext, CommandModule, CommandSpec} from './command-spec.js';

export const gatewayRunFlags = {
	port: {type: 'string'},
	bind: {type: 'string'},
	host: {type: 'string'},
	token: {type: 'string'},
	password: {type: 'string'},
	force: {type: 'boolean', default: false},
	verbose: {type: 'boolean', default: false},
	allowUnconfigured: {type: 'boolean', default: false},
} satisfies AnyFlags;

export const consoleFlags = {
	url: {type: 'string'},
	token: {type: 'string'},
	password: {type: 'string'},
	attach: {type: 'boolean', default: false},
	ssh: {type: 'string'},
	remotePort: {type: 'string'},
	identity: {type: 'string'},
	once: {type: 'boolean', default: false},
	port: {type: 'string'},
	fleet: {type: 'boolean', default: false},
} satisfies AnyFlags;

export const commands: CommandSpec[] = [
	defineCommand({
		words: ['gateway'],
		aliasWords: ['run'],
		summary: 'Run the gateway in the foreground',
		usage: `Usage: openclaw gateway [run] [options]

Runs the OpenClaw Gateway in the foreground (WebSocket control/RPC, /v1/responses and hooks on one port).

Options
  --port N                 Port (precedence: --port > OPENCLAW_GATEWAY_PORT > gateway.port > 18789; --dev: 19001)
  --bind MODE              loopback | lan | tailnet | auto | custom (default gateway.bind, else loopback)
  --host ADDR              Address for --bind custom
  --token TOKEN            Shared token (precedence: --token > OPENCLAW_GATEWAY_TOKEN > gateway.auth.token)
  --password PW            Shared password (gateway.auth.mode=password)
  --force                  Free the port first (SIGTERM its listeners, SIGKILL after a grace period)
  --verbose                Mirror debug/trace logs to stdio
  --allow-unconfigured     Start without a config file or without gateway.mode=local

Without a token, one is generated and stored in <state dir>/gateway.token (mode 0600).
Exit codes: 0 stopped cleanly, 1 runtime failure (busy port), 2 bad usage, 78 configuration error.`,
		flags: gatewayRunFlags,
		load: async () => import('./gateway-run.js'),
	}),
	...operatorCommands,
	defineCommand({
		words: ['console'],
		summary: 'The operator console (Ink): run, watch and restart a gateway',
		usage: `Usage: openclaw console [options]

An interactive console: Runtime, Channels, Reload and Logs panes; ? shows the keys.
Without options it starts a gateway of its own (your profile's config, or a temporary state dir with a generated
token when there is none) and stops it when you quit.

Options
  --attach                 Attach to the configured local gateway instead of starting one
  --url ws://H:P           Attach to this gateway (needs --token or --password)
  --token TOKEN            Gateway token (also sent through --ssh tunnels; default OPENCLAW_GATEWAY_TOKEN)
  --password PW            Gateway password
  --ssh USER@HOST[:PORT]   Reach a remote gateway through ssh -N -L (BatchMode; keys from ssh-agent or --identity)
  --remote-port N          The gateway's port on the remote host (default 18789)
  --identity FILE          ssh private key
  --port N                 Port for the local gateway (or, with --attach, the port to attach to)
  --once                   Print a plain status snapshot and exit (no TTY needed)
  --fleet [FILE]           The Fleet view: one row per gateway (this host's profiles, the fleet file FILE or
                           ~/.config/openclaw/fleet.json5, gateways added from the console); Enter opens one
                           gateway's panes, Esc comes back; R S m p act on the selected row

Environment: NO_COLOR disables colours; OPENCLAW_FLEET_POLL_MS sets the Fleet view's poll period (default 5000).`,
		flags: consoleFlags,
		load: async () => import('./console.js'),
	}),
];
