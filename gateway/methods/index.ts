// The method registry: every RPC the gateway answers. One file per method (or per small family).
import {configSchemaLookupMethod, configSchemaMethod} from './config-schema.js';
import gatewayRestart from './gateway-restart.js';
import health from './health.js';
import status from './status.js';
import systemPresence from './system-presence.js';
import type {MethodSpec} from './types.js';

export const coreMethods: MethodSpec[] = [health, status, systemPresence, gatewayRestart, configSchemaMethod, configSchemaLookupMethod];
