// The gateway under 100,000 generated inputs (fast-check; see bench/lib/fuzz-inputs.ts): WebSocket frames before and
// after auth, every HTTP route, forged, replayed and signed requests on the channel webhook routes, config.patch/set/apply
// bodies, logs.tail parameters. Prints inputs per second, RSS at
// start, peak and end, the bystander client's worst health latency, and any counterexample with its seed.
// Run: npm run build && node --import tsx bench/fuzz.ts [--count N] [--seed S] [--short]   (FUZZ_SEED=S also works)
import {parseArgs} from 'node:util';
import {runFuzz} from './lib/fuzz-run.js';

const {values} = parseArgs({options: {count: {type: 'string'}, seed: {type: 'string'}, short: {type: 'boolean', default: false}}, strict: false});
const seed = Number(values.seed ?? process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const count = Number(values.count ?? (values.short ? 10_000 : 100_000));
const report = await runFuzz({seed, count, timeBudgetMs: 15 * 60_000, maxRssMiB: 400});
const seconds = report.ms / 1000;
console.log(`fuzz: ${report.inputs} inputs in ${seconds.toFixed(1)} s (${(report.inputs / seconds).toFixed(0)} inputs/s), seed ${seed}`);
console.log(`  by kind: ${Object.entries(report.byKind).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
console.log(`  gateway RSS: start ${report.rssMiB.start.toFixed(0)} MiB, peak ${report.rssMiB.peak.toFixed(0)}, end ${report.rssMiB.end.toFixed(0)}`);
console.log(`  bystander: ${report.bystander.answers} health answers, worst ${report.bystander.maxMs.toFixed(0)} ms, ${report.bystander.over100} over 100 ms; rode out ${report.bystander.restarts} in-process restarts (config writes)`);
console.log(`  config writes: ${report.configWrites.ok} applied, ${report.configWrites.refused} refused; log lines checked whole: ${report.logLines}`);
console.log(
	`  channel routes: ${Object.entries(report.channels.sent).map(([label, n]) => `${label} ${n}`).join(', ')}; forged ${report.channels.forged} (${report.channels.refused} refused), sessions from signed messages ${report.channels.signedSessions}, ${report.channels.listings} session listings checked`,
);
if (report.violations.length === 0) {
	console.log('  no invariant broken');
} else {
	for (const violation of report.violations) {
		console.log(`  COUNTEREXAMPLE (seed ${seed}, input #${violation.index}): ${violation.what}`);
		console.log(`    last inputs: ${JSON.stringify(violation.recent).slice(0, 3000)}`);
	}

	process.exitCode = 1;
}
