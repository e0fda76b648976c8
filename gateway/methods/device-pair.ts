// `device.pair.list|approve|reject` and `device.token.revoke` (`openclaw devices list|approve|reject|revoke`): the pairing
// store's requests and paired devices; approving lets the device connect from anywhere, rejecting drops its request,
// revoking ends its device token. Reject and revoke also close the device's open connections (4001 "device
// removed", as OpenClaw closes them): what was taken away must not stay connected.
import {z} from 'zod';
import {errorCodes, events, GatewayError, scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

const requestParams = z.object({requestId: z.string().trim().min(1)}).strict();

function unknownRequest(): GatewayError {
	return new GatewayError({code: errorCodes.invalidRequest, message: 'unknown requestId'});
}

export const devicePairList = defineMethod({
	name: 'device.pair.list',
	scope: scopes.pairing,
	params: z.object({}).passthrough(),
	handler(_params, {gateway}) {
		const connected = new Set(gateway.presence.list().map((entry) => entry.deviceId).filter(Boolean));
		const {pending, paired} = gateway.devices.list();
		return {pending, paired: paired.map((device) => ({...device, connected: connected.has(device.deviceId)}))};
	},
});

export const devicePairApprove = defineMethod({
	name: 'device.pair.approve',
	scope: scopes.pairing,
	params: requestParams,
	handler(params, {gateway}) {
		const device = gateway.devices.approve(params.requestId);
		if (!device) {
			throw unknownRequest();
		}

		gateway.logger.info('device pairing approved', {deviceId: device.deviceId, role: device.role});
		gateway.broadcast(events.devicePairResolved, {requestId: params.requestId, deviceId: device.deviceId, decision: 'approved', ts: Date.now()}, {scope: scopes.pairing});
		return {requestId: params.requestId, device};
	},
});

export const devicePairReject = defineMethod({
	name: 'device.pair.reject',
	scope: scopes.pairing,
	params: requestParams,
	handler(params, {gateway}) {
		const request = gateway.devices.reject(params.requestId);
		if (!request) {
			throw unknownRequest();
		}

		const closed = gateway.disconnectDevice(request.deviceId);
		gateway.logger.info('device pairing rejected', {deviceId: request.deviceId, closed});
		gateway.broadcast(events.devicePairResolved, {requestId: params.requestId, deviceId: request.deviceId, decision: 'rejected', ts: Date.now()}, {scope: scopes.pairing});
		return {requestId: params.requestId, deviceId: request.deviceId};
	},
});

const revokeParams = z.object({deviceId: z.string().trim().min(1), role: z.string().trim().min(1)}).strict();

export const deviceTokenRevoke = defineMethod({
	name: 'device.token.revoke',
	scope: scopes.pairing,
	params: revokeParams,
	handler(params, {gateway}) {
		const revoked = gateway.devices.revokeToken(params.deviceId, params.role);
		if (!revoked) {
			throw new GatewayError({code: errorCodes.invalidRequest, message: `unknown device token: no ${params.role} token for device ${params.deviceId}`});
		}

		const closed = gateway.disconnectDevice(params.deviceId, params.role);
		gateway.logger.info('device token revoked', {deviceId: params.deviceId, role: params.role, closed});
		return {deviceId: params.deviceId, role: params.role, revokedAtMs: revoked.revokedAtMs ?? Date.now()};
	},
});
