// The Control UI on the gateway port: one HTML page, one script and one stylesheet under gateway.controlUi.basePath
// (default `/`). The page holds no data and no secret: it asks for the token and talks to the gateway over the same
// WebSocket protocol as every other client. The script and stylesheet are built by scripts/bundle-control-ui.mjs
// into dist/control-ui/ and read once; every answer carries a CSP that allows only those two files and a
// same-origin socket, and refuses to be framed.
import {existsSync, readFileSync} from 'node:fs';
import type http from 'node:http';
import {fileURLToPath} from 'node:url';
import {isLoopbackHost} from '../../source/protocol/config/paths.js';
import type {GatewayConfig} from '../../source/protocol/config/schema.js';

export const controlUiFiles = {script: 'control-ui.js', style: 'control-ui.css'} as const;

/** No inline script or style, nothing from elsewhere, no framing, no form posts, no <base> tricks. */
export const controlUiCsp = [
	"default-src 'none'",
	"script-src 'self'",
	"style-src 'self'",
	"connect-src 'self'",
	"img-src 'self' data:",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
	'Content-Security-Policy': controlUiCsp,
	'X-Frame-Options': 'DENY',
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'Cache-Control': 'no-store',
};

type Assets = {script: Buffer; style: Buffer};

/**
 * Where the built files are: dist/control-ui/ seen from the bundled gateway (dist/gateway/run.bundle.js), from the
 * tsc output (dist/gateway/http-routes/) or from the sources run through tsx (gateway/http-routes/).
 */
function assetDirectory(): string | undefined {
	for (const relative of ['../control-ui/', '../../control-ui/', '../../dist/control-ui/']) {
		const directory = fileURLToPath(new URL(relative, import.meta.url));
		if (existsSync(`${directory}${controlUiFiles.script}`)) {
			return directory;
		}
	}

	return undefined;
}

let assets: Assets | undefined | null = null;
function loadAssets(): Assets | undefined {
	if (assets === null) {
		const directory = assetDirectory();
		assets = directory
			? {script: readFileSync(`${directory}${controlUiFiles.script}`), style: readFileSync(`${directory}${controlUiFiles.style}`)}
			: undefined;
	}

	return assets;
}

/** `/`, or `/prefix` without a trailing slash: the form routes compare against. Anything odd is refused by the schema. */
export function normalizeBasePath(value: string | undefined): string {
	const trimmed = (value ?? '').trim().replace(/\/+$/, '');
	return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** On by default only where the gateway listens on loopback; a LAN or tailnet bind has to ask for it. */
export function controlUiEnabled(config: GatewayConfig, host: string): boolean {
	return config.gateway?.controlUi?.enabled ?? isLoopbackHost(host);
}

function page(base: string): string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>OpenClaw Control</title><link rel="icon" href="data:,"><link rel="stylesheet" href="${base}/${controlUiFiles.style}">
<script type="module" src="${base}/${controlUiFiles.script}"></script></head>
<body><main id="app"><noscript>The Control UI needs JavaScript; from a terminal: <code>openclaw console</code>.</noscript></main></body></html>
`;
}

function send(request: http.IncomingMessage, response: http.ServerResponse, type: string, body: string | Buffer): void {
	response.writeHead(200, {'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...securityHeaders});
	response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * Answers the Control UI's paths; false for any other path (the caller goes on). `base` is the normalized basePath:
 * the page is at `${base}/` (`${base}` redirects there), its files next to it.
 */
export function serveControlUi(request: http.IncomingMessage, response: http.ServerResponse, pathname: string, base: string): boolean {
	const file = pathname.startsWith(`${base}/`) ? pathname.slice(base.length + 1) : pathname === base && base !== '' ? '' : undefined;
	if (file === undefined || (file !== '' && file !== controlUiFiles.script && file !== controlUiFiles.style)) {
		return false;
	}

	if (request.method !== 'GET' && request.method !== 'HEAD') {
		response.writeHead(405, {Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders});
		response.end('method not allowed\n');
		return true;
	}

	if (file === '' && pathname === base) {
		// The page finds its socket and files relative to its own URL, and `/ops/openclaw` resolves `.` to `/ops/`:
		// send the browser to `/ops/openclaw/` first. Relative, so a proxy that adds a prefix of its own still works.
		response.writeHead(302, {Location: `${base.slice(base.lastIndexOf('/') + 1)}/`, 'Content-Length': 0, ...securityHeaders});
		response.end();
		return true;
	}

	const built = loadAssets();
	if (!built) {
		response.writeHead(503, {'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders});
		response.end('the Control UI is not built: run `npm run build` (scripts/bundle-control-ui.mjs)\n');
		return true;
	}

	if (file === '') {
		send(request, response, 'text/html; charset=utf-8', page(base));
	} else if (file === controlUiFiles.script) {
		send(request, response, 'text/javascript; charset=utf-8', built.script);
	} else {
		send(request, response, 'text/css; charset=utf-8', built.style);
	}

	return true;
}
