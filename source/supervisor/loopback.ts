// Small loopback probes the supervisors share: a free port to listen on, whether a port accepts TCP, whether a
// gateway there says it is ready.
import http from 'node:http';
import net from 'node:net';

export function freeLoopbackPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export function readyzOk(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const request = http.get({host: '127.0.0.1', port, path: '/readyz', timeout: 1000}, (response) => {
			response.resume();
			resolve(response.statusCode === 200);
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(false));
	});
}

export function canConnect(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({host: '127.0.0.1', port});
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};

		socket.setTimeout(1000, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}
