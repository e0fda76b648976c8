// `update.status`: this package never updates itself (no channel to follow, no download, no restart into a new
// version): an operator updates it with npm. The answer says exactly that, in OpenClaw's shape.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

export const updateSchedule = {channel: 'stable', autoEnabled: false} as const;

export default defineMethod({
	name: 'update.status',
	scope: scopes.read,
	params: z.object({}).passthrough(),
	handler() {
		return {
			sentinel: null,
			updateAvailable: null,
			effectiveChannel: updateSchedule.channel,
			schedule: updateSchedule,
			autoUpdate: {supported: false, reason: 'openclaw-console does not update itself: run npm install -g openclaw-console@latest'},
		};
	},
});
