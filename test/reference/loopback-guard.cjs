// Preloaded (`node --require`) into the reference OpenClaw gateway and CLI that the suite runs as test peers: nothing
// in that process may reach beyond loopback. Every DNS lookup of a name other than localhost, every resolver query,
// every TCP/TLS connection and every UDP datagram to an address outside 127.0.0.0/8 and ::1 fails at once, and is
// written (one line each) to the file named by OPENCLAW_LOOPBACK_GUARD_LOG, so the test that started the process can
// fail when anything tried. CommonJS on purpose: `--require` runs it before the program's first import.
'use strict';
const dgram = require('node:dgram');
const dns = require('node:dns');
const fs = require('node:fs');
const net = require('node:net');

const logFile = process.env.OPENCLAW_LOOPBACK_GUARD_LOG;
const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

function isLoopbackHost(host) {
	if (host === undefined || host === null || host === '' || host === 'localhost') {
		return true;
	}

	const bare = String(host).replace(/^\[|\]$/g, '');
	const family = net.isIP(bare);
	if (family === 0) {
		return false; // any other name would need a lookup that leaves the machine
	}

	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
	return mapped ? loopback.check(mapped[1], 'ipv4') : loopback.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

function blocked(what, target) {
	if (logFile) {
		try {
			// Where it came from (a few frames, this file's own left out): the fix is usually a config switch there.
			// Deep enough to reach past timer and tick frames to the async caller that names the code path: the
			// default limit of 10 is spent on the guard and the fetch helpers when the lookup runs after a timer.
			const limit = Error.stackTraceLimit;
			Error.stackTraceLimit = 50;
			const stack = new Error().stack ?? '';
			Error.stackTraceLimit = limit;
			const frames = stack.split('\n').slice(1).filter((frame) => !frame.includes('loopback-guard')).slice(0, 40);
			fs.appendFileSync(logFile, `${new Date().toISOString()} ${what} ${target}\n${frames.map((frame) => `    ${frame.trim()}\n`).join('')}`);
		} catch {}
	}

	return Object.assign(new Error(`loopback guard: ${what} ${target} refused (test peers stay on loopback)`), {code: 'ENETUNREACH'});
}

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, options, callback) {
	if (!isLoopbackHost(hostname)) {
		const done = typeof options === 'function' ? options : callback;
		const error = blocked('dns.lookup', hostname);
		error.code = 'ENOTFOUND';
		process.nextTick(() => done(error));
		return {};
	}

	return lookup.apply(this, arguments);
};

const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromisesLookup(hostname, ...rest) {
	if (!isLoopbackHost(hostname)) {
		const error = blocked('dns.promises.lookup', hostname);
		error.code = 'ENOTFOUND';
		throw error;
	}

	return promisesLookup.call(this, hostname, ...rest);
};

// Resolver queries (resolve4, resolveSrv, …) go to the system's name servers, never loopback-only: refuse them all.
const resolverMethods = ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'resolvePtr', 'resolveNaptr', 'resolveSoa', 'resolveCaa', 'reverse'];
for (const holder of [dns, dns.Resolver.prototype]) {
	for (const method of resolverMethods) {
		if (typeof holder[method] === 'function') {
			holder[method] = function guardedResolve(name, ...rest) {
				const done = rest.at(-1);
				const error = blocked(`dns.${method}`, name);
				if (typeof done === 'function') {
					process.nextTick(() => done(error));
				}

				return undefined;
			};
		}
	}
}

for (const holder of [dns.promises, dns.promises.Resolver.prototype]) {
	for (const method of resolverMethods) {
		if (typeof holder[method] === 'function') {
			holder[method] = async function guardedPromisesResolve(name) {
				throw blocked(`dns.promises.${method}`, name);
			};
		}
	}
}

function connectTarget(args) {
	let first = args[0];
	if (Array.isArray(first)) {
		first = first[0]; // net's internal normalized form: [options, callback]
	}

	if (first && typeof first === 'object') {
		return first.path ? undefined : (first.host ?? 'localhost');
	}

	if (typeof first === 'string' && Number.isNaN(Number(first))) {
		return undefined; // a Unix socket path
	}

	return typeof args[1] === 'string' ? args[1] : 'localhost';
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
	const host = connectTarget(args);
	if (host !== undefined && !isLoopbackHost(host)) {
		const error = blocked('connect', host);
		process.nextTick(() => this.destroy(error));
		return this;
	}

	return connect.apply(this, args);
};

const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(...args) {
	const host = args.find((argument, index) => index > 0 && typeof argument === 'string');
	if (host !== undefined && !isLoopbackHost(host)) {
		const error = blocked('udp send', host);
		const done = args.at(-1);
		if (typeof done === 'function') {
			process.nextTick(() => done(error));
		}

		return;
	}

	return send.apply(this, args);
};

const udpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function guardedUdpConnect(port, address, ...rest) {
	if (typeof address === 'string' && !isLoopbackHost(address)) {
		throw blocked('udp connect', address);
	}

	return udpConnect.call(this, port, address, ...rest);
};
