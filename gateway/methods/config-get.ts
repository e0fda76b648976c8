import {z} from 'zod';
import {scopes} from '../../source/protocol/index.js';
import type {ReloadController} from '../reload/controller.js';
import {redactConfig, redactRawConfig} from './config-redact.js';
import {listedIssues, readConfigFile, validateConfigObject} from './config-write.js';
import {defineMethod} from './types.js';

/** The config file as it is on disk (even when invalid), secrets replaced by the sentinel, with its hash for writes. */
export function configGetMethod(controller: () => ReloadController) {
	return defineMethod({
		name: 'config.get',
		scope: scopes.read,
		params: z.object({}).passthrough(),
		async handler() {
			const reload = controller();
			const file = await readConfigFile(reload.configPath);
			const issues = file.syntaxError ? [{path: '(root)', message: `syntax: ${file.syntaxError}`}] : validateConfigObject(file.parsed);
			const parsed = file.parsed === undefined ? undefined : redactConfig(file.parsed);
			const state = reload.state();
			return {
				path: reload.configPath,
				exists: file.exists,
				valid: issues.length === 0,
				config: parsed ?? redactConfig(reload.lastGood().config),
				raw: redactRawConfig(file.raw, file.parsed ?? reload.lastGood().config),
				...(parsed === undefined ? {} : {parsed}),
				issues: listedIssues(issues),
				warnings: state.pendingPaths.length > 0 ? [`saved changes await a restart: ${state.pendingPaths.join(', ')}`] : [],
				hash: file.hash,
				configRevisionHash: file.hash,
				appliedConfigHash: state.appliedConfigHash,
			};
		},
	});
}
