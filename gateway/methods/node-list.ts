// `node.list` (`openclaw nodes status`): the node-role clients (devices paired as nodes) and whether each is
// connected now.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

export default defineMethod({
	name: 'node.list',
	scope: scopes.read,
	params: z.object({}).passthrough(),
	handler(_params, {gateway}) {
		const connected = gateway.presence.list().filter((entry) => entry.roles?.includes('node'));
		const paired = gateway.devices.list().paired.filter((device) => device.roles.includes('node'));
		const nodes = paired.map((device) => {
			const live = connected.find((entry) => entry.deviceId === device.deviceId);
			return {
				nodeId: device.deviceId,
				displayName: device.displayName ?? device.clientId ?? device.deviceId.slice(0, 12),
				...(device.platform ? {platform: device.platform} : {}),
				...(live?.version ? {version: live.version} : {}),
				...(live?.ip ? {remoteIp: live.ip} : {}),
				paired: true,
				connected: live !== undefined,
				...(live ? {connectedAtMs: live.onlineSince, lastSeenAtMs: live.ts} : {}),
			};
		});
		return {ts: Date.now(), nodes};
	},
});
