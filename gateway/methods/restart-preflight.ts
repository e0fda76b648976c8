// `gateway.restart.preflight`: what a restart would interrupt now (agent runs, cron runs, requests being answered).
// A restart is never refused for it: in-flight requests get their answer and runs are aborted with a reason.
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

export default defineMethod({
	name: 'gateway.restart.preflight',
	scope: scopes.read,
	params: z.object({}).passthrough(),
	handler(_params, {gateway}) {
		const work = gateway.activeWork();
		const counts = {
			queueSize: 0,
			pendingReplies: 0,
			embeddedRuns: work.embeddedRuns ?? 0,
			cronRuns: work.cronRuns ?? 0,
			backgroundExecSessions: 0,
			// Less this preflight request itself.
			rootRequests: Math.max(0, (work.rootRequests ?? 0) - 1),
			activeTasks: 0,
		};
		const totalActive = counts.embeddedRuns + counts.cronRuns + counts.rootRequests;
		const blockers = [
			...(counts.embeddedRuns > 0 ? [`${counts.embeddedRuns} agent run(s) would be aborted`] : []),
			...(counts.cronRuns > 0 ? [`${counts.cronRuns} cron run(s) would be interrupted`] : []),
			...(counts.rootRequests > 0 ? [`${counts.rootRequests} request(s) still being answered`] : []),
		];
		return {safe: totalActive === 0, counts: {...counts, totalActive}, blockers, summary: totalActive === 0 ? 'safe to restart now' : blockers.join('; ')};
	},
});
