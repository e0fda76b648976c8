// How a doctor run prints its checks, one form for `openclaw doctor` and `openclaw doctor --all`: a tag per check
// (fixed when a repair ran), then what was done, the fix to apply, or why a repair failed.
import type {Output} from '../cli-output/output.js';
import type {Verdict} from './doctor-checks.js';

export type ReportedCheck = {id: string; verdict: Verdict; message: string; fix?: string; fixed?: string; repairError?: string; repair?: unknown};

/** Print the checks; `fixCommand` is offered beside a fix that a safe repair could apply (when not fixing already). Returns how many warned. */
export function printChecks(output: Output, checks: readonly ReportedCheck[], options: {fixing: boolean; fixCommand: string}): number {
	for (const check of checks) {
		const tag = check.fixed ? output.paint('ok', 'fixed') : output.paint(check.verdict, check.verdict);
		output.line(`[${tag}] ${check.id}: ${check.message}`);
		if (check.fixed) {
			output.line(`       did: ${check.fixed}`);
		} else if (check.fix && check.verdict !== 'ok') {
			output.line(`       fix: ${check.fix}${check.repair && !options.fixing ? ` (or ${options.fixCommand})` : ''}`);
		}

		if (check.repairError) {
			output.line(`       repair failed: ${check.repairError}`);
		}
	}

	return checks.filter((check) => check.verdict === 'warn' && !check.fixed).length;
}
