// `system.info` (`openclaw gateway call system.info`): facts about the machine and the gateway process.
import {statfs} from 'node:fs/promises';
import os from 'node:os';
import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import {defineMethod} from './types.js';

async function diskOf(dir: string): Promise<{totalBytes: number; availableBytes: number} | undefined> {
	try {
		const stats = await statfs(dir);
		return {totalBytes: stats.blocks * stats.bsize, availableBytes: stats.bavail * stats.bsize};
	} catch {
		return undefined;
	}
}

export default defineMethod({
	name: 'system.info',
	scope: scopes.read,
	params: z.object({}).passthrough(),
	async handler(_params, {gateway}) {
		const memory = process.memoryUsage();
		const cpus = os.cpus();
		const disk = await diskOf(gateway.stateDir);
		return {
			machineName: os.hostname(),
			hostname: os.hostname(),
			platform: process.platform,
			release: os.release(),
			arch: process.arch,
			osLabel: `${os.type()} ${os.release()}`,
			port: gateway.port,
			nodeVersion: process.version,
			pid: process.pid,
			processInstanceId: gateway.bootId,
			uptimeMs: Date.now() - gateway.startedAt,
			cpuCount: cpus.length,
			...(cpus[0]?.model ? {cpuModel: cpus[0].model} : {}),
			loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
			memoryTotalBytes: os.totalmem(),
			memoryFreeBytes: os.freemem(),
			eventLoop: gateway.eventLoopStats(),
			processMemory: {
				rssBytes: memory.rss,
				heapUsedBytes: memory.heapUsed,
				heapTotalBytes: memory.heapTotal,
				externalBytes: memory.external,
				arrayBuffersBytes: memory.arrayBuffers,
			},
			...(disk ? {disks: [{path: gateway.stateDir, ...disk}], diskTotalBytes: disk.totalBytes, diskAvailableBytes: disk.availableBytes, diskPath: gateway.stateDir} : {}),
		};
	},
});
