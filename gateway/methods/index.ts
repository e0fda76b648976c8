// The method registry: every RPC the gateway answers. One file per method (or per small family).
import {configSchemaLookupMethod, configSchemaMethod} from './config-schema.js';
import gatewayRestart from './gateway-restart.js';
import health from './health.js';
import status from './status.js';
import systemPresence from './system-presence.js';
import type {MethodSpec} from './types.js';
import {devicePairApprove, devicePairList, devicePairReject, deviceTokenRevoke} from './device-pair.js';
import diagnosticsStability from './diagnostics-stability.js';
import gatewayIdentity from './gateway-identity.js';
import lastHeartbeat from './last-heartbeat.js';
import modelsList from './models-list.js';
import nodeList from './node-list.js';
import restartPreflight from './restart-preflight.js';
import systemInfo from './system-info.js';
import updateStatus from './update-status.js';

export const coreMethods: MethodSpec[] = [health, status, systemPresence, gatewayRestart, configSchemaMethod, configSchemaLookupMethod];

/** The operator surface OpenClaw's CLI calls (`models list`, `nodes status`, `devices`, `gateway stability`...). */
export const operatorMethods: MethodSpec[] = [
	modelsList,
	systemInfo,
	gatewayIdentity,
	diagnosticsStability,
	updateStatus,
	restartPreflight,
	lastHeartbeat,
	nodeList,
	devicePairList,
	devicePairApprove,
	devicePairReject,
	deviceTokenRevoke,
];
