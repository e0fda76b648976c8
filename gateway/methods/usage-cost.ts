// `usage.cost` (`openclaw gateway usage-cost`): tokens and cost of agent runs per UTC day, from the usage ledger.
import {z} from 'zod';
import {errorCodes, GatewayError, scopes} from '../../source/protocol/index.js';
import type {UsageService} from '../usage/service.js';
import {defineMethod} from './types.js';

export default function usageCost(service: UsageService) {
	return defineMethod({
		name: 'usage.cost',
		scope: scopes.read,
		params: z.object({days: z.number().int().min(1).max(366).optional()}).passthrough(),
		handler(params) {
			if (!service.ledger) {
				throw new GatewayError({code: errorCodes.unavailable, message: 'usage ledger not loaded yet; retry shortly', retryable: true});
			}

			return service.ledger.cost(params.days ?? 30);
		},
	});
}
