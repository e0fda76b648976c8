// `npm run bench`: every bench/*.ts script in turn (alphabetical), each in its own process so one's memory and
// timers do not colour the next. Extra arguments are passed to every script (e.g. `npm run bench -- --short`).
import {spawnSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));
const scripts = readdirSync(benchDir)
	.filter((name) => name.endsWith('.ts') && name !== self)
	.sort();
const extra = process.argv.slice(2);
let failed = 0;
for (const script of scripts) {
	console.log(`\n== bench/${script} ${extra.join(' ')}`.trimEnd());
	const started = Date.now();
	const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, script), ...extra], {stdio: 'inherit'});
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.status === 0) {
		console.log(`== bench/${script} done in ${seconds} s`);
	} else {
		failed++;
		console.log(`== bench/${script} FAILED (exit ${result.status ?? result.signal}) after ${seconds} s`);
	}
}

console.log(`\n${scripts.length - failed} of ${scripts.length} bench scripts completed`);
process.exitCode = failed > 0 ? 1 : 0;
