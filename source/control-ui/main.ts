// The Control UI: the console's state and reducers (source/console/state), its reads (console/live/gateway-reads)
// and its log follower, driven by the page's WebSocket link and drawn into the DOM by views.ts. The token is asked
// once and kept in sessionStorage only: never in a URL, a cookie or the page's HTML. A paired device also keeps the
// device token it is issued (device-identity.ts) and, on a later visit without the shared token, connects with that.
import {consoleReducer, initialConsoleState, type ConsoleAction, type ConsoleState} from '../console/state/index.js';
import {helloAction} from '../console/state/connection.js';
import {levelFilters, type LevelFilter} from '../console/state/logs.js';
import {LogIngest} from '../console/state/log-ingest.js';
import {isConflictError, nextMode, reloadModePatch, writeWarning} from '../console/state/reload.js';
import {probeHealth, readChannels, readConfig, readReloadCapabilities, readStatus} from '../console/live/gateway-reads.js';
import {serves} from '../client/served-methods.js';
import {LogFollower} from '../console/live/log-follower.js';
import {matchBinding} from '../console/keymap.js';
import {confirmKey} from '../console/intents.js';
import {isRecord} from '../protocol/index.js';
import {matchSignature, meaningSentence} from '../protocol/signatures.js';
import {forgetDevice, forgetDeviceToken, loadDeviceIdentity, loadDeviceToken, saveDeviceToken, type DeviceIdentity} from './device-identity.js';
import {GatewaySocket, type LinkInfo, type Secret} from './gateway-socket.js';
import {keyPressOf} from './key-press.js';
import {pairingNotice} from './pairing-notice.js';
import {readSessionRows} from './sessions.js';
import {h} from './dom.js';
import {drawChannels, drawLogs, drawReload, drawRuntime, drawSessions, type SessionRow} from './views.js';

const tokenKey = 'openclaw.controlUi.token';
const pollMs = 5000;

const socketUrl = new URL('.', location.href);
socketUrl.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
socketUrl.search = '';
socketUrl.hash = '';

let state: ConsoleState = initialConsoleState({mode: 'attach', url: socketUrl.origin.replace(/^http/, 'ws')});
let link: GatewaySocket | undefined;
let follower: LogFollower | undefined;
let pollTimer: ReturnType<typeof setTimeout> | undefined;
let sessions: SessionRow[] | string = 'waiting for the gateway';
let drawQueued = false;
const ingest = new LogIngest({dedupe: false});

function dispatch(...actions: ConsoleAction[]): void {
	for (const action of actions) {
		state = consoleReducer(state, action);
	}

	queueDraw();
}

function say(text: string, level: 'info' | 'warn' | 'error' = 'info'): void {
	const line = ingest.accept(text, 'console');
	if (line) {
		dispatch({type: 'logs/append', lines: [{...line, level, time: new Date().toISOString()}]});
	}
}

// ---- the page ----

const app = document.getElementById('app')!;
const status = h('span', {class: 'status', id: 'link'}, 'not connected');
const runtimeBody = h('dl', {id: 'runtime'});
const channelsBody = h('dl', {id: 'channels'});
const reloadBody = h('dl', {id: 'reload'});
const sessionsBody = h('div', {id: 'sessions'});
const logsBody = h('ol', {id: 'logs', class: 'logs'});
const probeButton = h('button', {id: 'probe', type: 'button', title: 'p'}, 'Probe now');
const restartButton = h('button', {id: 'restart', type: 'button', class: 'danger', title: 'R'}, 'Restart…');
const modeButton = h('button', {id: 'reload-toggle', type: 'button', title: 'm'}, 'Next mode');
const followButton = h('button', {id: 'follow', type: 'button', 'aria-pressed': 'true', title: 'f'}, 'Following');
const filterInput = h('input', {id: 'filter', type: 'search', placeholder: 'filter  (/)', autocomplete: 'off', spellcheck: 'false'});
const levelSelect = h('select', {id: 'level', title: 'l'}, ...levelFilters.map((level) => h('option', {value: level}, level)));
const signOut = h('button', {id: 'sign-out', type: 'button', title: 'forget the token and this browser\'s device'}, 'Sign out');
const pairingBox = h('div', {id: 'pairing', class: 'confirm', role: 'status', hidden: ''});
const confirmYes = h('button', {id: 'confirm-restart', type: 'button', class: 'danger'}, 'Restart');
const confirmNo = h('button', {id: 'cancel-restart', type: 'button'}, 'Cancel');
const confirmBox = h('div', {id: 'confirm', class: 'confirm', role: 'alertdialog', hidden: ''}, h('p', {}, 'Restart the gateway? Every client reconnects.'), confirmNo, ' ', confirmYes);

const tokenInput = h('input', {id: 'token', type: 'password', autocomplete: 'current-password', required: '', placeholder: 'gateway token'});
const loginError = h('p', {id: 'login-error', class: 'tone-error'});
const loginForm = h(
	'form',
	// Hidden until the page knows it has no secret: a paired device goes straight to the dashboard.
	{id: 'login', class: 'login', hidden: ''},
	h('h1', {}, 'OpenClaw Control'),
	h('label', {for: 'token'}, 'Gateway token (kept in this tab only)'),
	tokenInput,
	h('button', {type: 'submit'}, 'Connect'),
	loginError,
	h('p', {class: 'tone-muted'}, 'The token is in gateway.auth.token of openclaw.json, or the gateway.token file in its state directory.'),
);

function card(title: string, id: string, body: Node, ...actions: Node[]): HTMLElement {
	return h('section', {class: `card card-${id}`, 'aria-labelledby': `${id}-title`}, h('header', {}, h('h2', {id: `${id}-title`}, title), h('div', {class: 'actions'}, ...actions)), body);
}

const dashboard = h(
	'div',
	{id: 'dashboard', class: 'dashboard', hidden: ''},
	h('header', {class: 'top'}, h('h1', {}, 'OpenClaw Control'), status, signOut),
	pairingBox,
	confirmBox,
	h(
		'div',
		{class: 'grid'},
		card('Runtime', 'runtime', runtimeBody, probeButton, restartButton),
		card('Channels', 'channels', channelsBody),
		card('Reload', 'reload', reloadBody, modeButton),
		card('Sessions', 'sessions', sessionsBody),
	),
	card('Logs', 'logs', logsBody, filterInput, levelSelect, followButton),
);
app.replaceChildren(loginForm, dashboard);

function queueDraw(): void {
	if (!drawQueued) {
		drawQueued = true;
		requestAnimationFrame(draw);
	}
}

function draw(): void {
	drawQueued = false;
	const {connection, reload, logs, runtime} = state;
	status.textContent = connection.status === 'reconnecting' ? 'reconnecting' : connection.status;
	status.className = `status status-${connection.status}`;
	drawRuntime(runtimeBody, state);
	drawChannels(channelsBody, state);
	drawReload(reloadBody, state);
	drawSessions(sessionsBody, sessions);
	drawLogs(logsBody, state);
	if (logs.follow) {
		logsBody.scrollTop = logsBody.scrollHeight;
	}

	followButton.textContent = logs.follow ? 'Following' : 'Paused';
	followButton.setAttribute('aria-pressed', String(logs.follow));
	levelSelect.value = logs.level;
	const connected = connection.status === 'connected';
	modeButton.disabled = !connected || reload.writable === false || reload.writing !== undefined;
	modeButton.textContent = `Mode → ${nextMode(reload)}`;
	probeButton.disabled = !connected || runtime.probing;
	restartButton.disabled = !connected || runtime.restart.phase === 'requested' || runtime.restart.phase === 'waiting';
}

// ---- talking to the gateway ----

async function refresh(options: {config?: boolean; channelsProbe?: boolean} = {}): Promise<void> {
	const client = link;
	if (!client?.hello) {
		return;
	}

	dispatch({type: 'runtime/probeStart'});
	const batches = await Promise.all([
		probeHealth(client),
		readStatus(client),
		readChannels(client, options.channelsProbe ?? false),
		options.config ? readConfig(client) : Promise.resolve([]),
	]);
	dispatch(...batches.flat());
	await readSessions(client);
}

async function readSessions(client: GatewaySocket): Promise<void> {
	sessions = await readSessionRows(client);
	queueDraw();
}

function schedulePoll(): void {
	clearTimeout(pollTimer);
	pollTimer = setTimeout(() => {
		void refresh().finally(schedulePoll);
	}, pollMs);
}

async function cycleReloadMode(): Promise<void> {
	const client = link;
	const mode = nextMode(state.reload);
	if (!client?.hello || state.reload.writing) {
		return;
	}

	dispatch({type: 'reload/writeStart', mode});
	try {
		const result = await client.request('config.patch', {raw: reloadModePatch(mode), baseHash: state.reload.hash});
		dispatch({type: 'reload/written', mode, hash: isRecord(result) && typeof result.hash === 'string' ? result.hash : undefined});
		const warning = writeWarning(result);
		if (warning) {
			say(warning, 'warn');
		}
	} catch (error) {
		const said = (error as Error).message;
		dispatch(...(await readConfig(client)), {type: 'reload/writeFailed', error: said, conflict: isConflictError(said), mode});
	}

	dispatch(...(await readConfig(client)));
}

async function restart(): Promise<void> {
	confirmBox.hidden = true;
	const client = link;
	if (!client?.hello) {
		return;
	}

	dispatch({type: 'runtime/restartRequested', via: 'rpc', at: Date.now()});
	say('restart requested from the Control UI', 'warn');
	try {
		await client.request('gateway.restart.request', {reason: 'control ui'});
	} catch (error) {
		if (!/not connected/.test((error as Error).message)) {
			dispatch({type: 'runtime/restartFailed', error: (error as Error).message, at: Date.now()});
		}
	}
}

function showLogin(error?: string): void {
	link?.stop();
	link = undefined;
	follower?.stop();
	clearTimeout(pollTimer);
	loginError.textContent = error ?? '';
	pairingBox.hidden = true;
	confirmBox.hidden = true;
	dashboard.hidden = true;
	loginForm.hidden = false;
	tokenInput.focus();
}

function showPairing(identity: DeviceIdentity, info: LinkInfo): void {
	const waiting = info.errorCode === 'PAIRING_REQUIRED';
	pairingBox.hidden = !waiting;
	if (waiting) {
		const notice = pairingNotice(identity.id, info.requestId);
		pairingBox.replaceChildren(h('p', {}, notice.title), h('p', {id: 'device-id'}, notice.device), h('pre', {id: 'approve-command'}, notice.command), h('p', {class: 'tone-muted'}, notice.after));
	}
}

/** Connect with the shared token when the tab has one, else as a paired device with its own token, else ask. */
async function start(sharedToken?: string): Promise<void> {
	let identity: DeviceIdentity;
	try {
		identity = await loadDeviceIdentity();
	} catch (error) {
		showLogin((error as Error).message);
		return;
	}

	const deviceToken = sharedToken ? undefined : await loadDeviceToken(identity);
	let secret: Secret;
	if (sharedToken) {
		secret = {kind: 'token', value: sharedToken};
	} else if (deviceToken) {
		secret = {kind: 'device-token', value: deviceToken};
	} else {
		showLogin();
		return;
	}

	loginForm.hidden = true;
	dashboard.hidden = false;
	const client = new GatewaySocket({
		url: socketUrl.href,
		secret: () => secret,
		identity,
		onHello: (hello) => {
			// Issued once per device and role: kept for the next visit (the shared token stays this tab's only).
			if (hello.auth.deviceToken) {
				void saveDeviceToken(identity, hello.auth.deviceToken);
			}

			dispatch(helloAction(hello, Date.now()));
		},
		onEvent: (frame) => {
			if (frame.event === 'logs.appended') {
				follower?.poke(isRecord(frame.payload) && typeof frame.payload.size === 'number' ? frame.payload.size : undefined);
			} else if (frame.event === 'config.reload') {
				dispatch({type: 'reload/event', payload: frame.payload, at: Date.now()});
				void readConfig(client).then((actions) => dispatch(...actions));
			} else if (frame.event === 'shutdown' && isRecord(frame.payload)) {
				const {reason, restartExpectedMs} = frame.payload;
				dispatch({type: 'runtime/shutdown', reason: String(reason ?? 'shutdown'), restartExpectedMs: typeof restartExpectedMs === 'number' ? restartExpectedMs : undefined, at: Date.now()});
			}
		},
		onState: (status, info) => {
			dispatch({type: 'connection/state', status, attempt: info.attempt, retryInMs: info.retryInMs, error: info.error, errorCode: info.errorCode, at: Date.now()});
			showPairing(identity, info);
			if (status === 'connected') {
				if (serves(client, 'logs.tail')) {
					follower?.start();
				}

				void refresh({config: true});
				void readReloadCapabilities(client).then((actions) => dispatch(...actions));
				schedulePoll();
			} else {
				follower?.stop();
				clearTimeout(pollTimer);
				dispatch({type: 'runtime/restartDown'});
				if (status === 'auth-failed' && secret.kind === 'device-token') {
					// Revoked (device.token.revoke) or unknown to this gateway: the shared token gets a new one issued.
					void forgetDeviceToken();
					showLogin('The gateway no longer accepts this browser\'s device token (revoked?): sign in with the gateway token.');
				} else if (status === 'auth-failed') {
					sessionStorage.removeItem(tokenKey);
					const known = matchSignature(info.error ?? '', info.errorCode);
					showLogin(`The gateway refused this token: ${known ? meaningSentence(known) : (info.error ?? 'unauthorized')}`);
				}
			}
		},
	});
	link = client;
	follower = new LogFollower({
		request: async (params) => client.request('logs.tail', params),
		onLines: (lines) => {
			const parsed = lines.flatMap((text) => ingest.accept(text, 'file') ?? []);
			if (parsed.length > 0) {
				dispatch({type: 'logs/append', lines: parsed});
			}
		},
		onNotice: (text) => say(text, 'warn'),
		fallbackMs: 2000,
	});
	client.start();
}

// ---- input ----

loginForm.addEventListener('submit', (event) => {
	event.preventDefault();
	const token = tokenInput.value.trim();
	tokenInput.value = '';
	if (token !== '') {
		sessionStorage.setItem(tokenKey, token);
		void start(token);
	}
});
signOut.addEventListener('click', () => {
	sessionStorage.removeItem(tokenKey);
	showLogin();
	// The device token would let the next visit in without asking: signing out forgets the device with it.
	void forgetDevice();
});
probeButton.addEventListener('click', () => void refresh({channelsProbe: true}));
modeButton.addEventListener('click', () => void cycleReloadMode());
restartButton.addEventListener('click', () => {
	confirmBox.hidden = false;
	confirmNo.focus(); // the safe answer is the default, as in the console
});
confirmNo.addEventListener('click', () => {
	confirmBox.hidden = true;
});
confirmYes.addEventListener('click', () => void restart());
followButton.addEventListener('click', () => dispatch({type: 'logs/toggleFollow'}));
filterInput.addEventListener('input', () => dispatch({type: 'logs/setFilter', filter: filterInput.value}));
levelSelect.addEventListener('change', () => setLevel(levelSelect.value as LevelFilter));
logsBody.addEventListener('scroll', () => {
	// Scrolling up (wheel, keys, scrollbar) pauses the view, as in the console; back at the bottom it follows again.
	// The page's own scrolling always lands at the bottom, so it never pauses.
	const atBottom = logsBody.scrollHeight - logsBody.scrollTop - logsBody.clientHeight < 4;
	if (atBottom !== state.logs.follow) {
		dispatch({type: 'logs/toggleFollow'});
	}
});

function setLevel(level: LevelFilter): void {
	for (let step = 0; step < levelFilters.length && state.logs.level !== level; step++) {
		dispatch({type: 'logs/cycleLevel'});
	}
}

/** The restart question takes the console's yes/no keys (y, Enter on Restart; n, Esc, Enter on Cancel; arrows, Tab). */
function answerConfirm(event: KeyboardEvent): void {
	const answer = confirmKey(keyPressOf(event), document.activeElement === confirmYes ? 'yes' : 'no');
	if (answer === undefined) {
		return;
	}

	event.preventDefault();
	if (answer === 'yes') {
		void restart();
	} else if (answer === 'no') {
		confirmBox.hidden = true;
		restartButton.focus();
	} else {
		(document.activeElement === confirmYes ? confirmNo : confirmYes).focus();
	}
}

// The console's keymap, where a browser has the same action: one table, two renderers.
document.addEventListener('keydown', (event) => {
	if (dashboard.hidden || event.metaKey || event.altKey) {
		return;
	}

	if (!confirmBox.hidden) {
		answerConfirm(event);
		return;
	}

	if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) {
		return;
	}

	const {input, key} = keyPressOf(event);
	const binding = matchBinding(input, key, 'logs');
	const actions: Partial<Record<string, () => void>> = {
		probe: () => probeButton.click(),
		restart: () => restartButton.click(),
		cycleReload: () => modeButton.click(),
		logsFollow: () => followButton.click(),
		logsFilter: () => filterInput.focus(),
		logsLevel: () => dispatch({type: 'logs/cycleLevel'}),
		logsWrap: () => dispatch({type: 'logs/toggleWrap'}),
		logsTimestamps: () => dispatch({type: 'logs/toggleTimestamps'}),
		logsClear: () => dispatch({type: 'logs/clear'}),
	};
	const run = binding ? actions[binding.command] : undefined;
	if (run) {
		event.preventDefault();
		run();
	}
});

setInterval(() => dispatch({type: 'clock', now: Date.now()}), 1000);

void start(sessionStorage.getItem(tokenKey) ?? undefined);
