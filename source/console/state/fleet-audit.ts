// The Fleet view's share of `openclaw doctor --all`: the checklist's findings (doctor-all-checks.ts) as lines shown
// above the table, each naming the profiles involved, the shared value and the fix. Pure: checks in, lines out.
import {terminalSafe} from '../../cli-output/terminal-safe.js';
import type {AllCheck} from '../../commands/doctor-all-checks.js';

export type FleetCollision = {
	id: AllCheck['id'];
	profiles: readonly string[];
	tone: 'error' | 'warn';
	text: string;
};

const labels: Record<AllCheck['id'], string> = {
	port: 'port',
	'port-spacing': 'ports',
	'state-dir': 'state dir',
	'config-path': 'config',
	workspace: 'workspace',
	'workspace-relative': 'relative workspace',
};

/** The failed and warned checks, one line each: `port 18789 shared by alpha and beta; fix: ...`. */
export function fleetCollisions(checks: readonly AllCheck[]): FleetCollision[] {
	return checks
		.filter((check) => check.verdict !== 'ok')
		.map((check) => {
			const what = `${labels[check.id]} ${check.value ?? ''}`.trim();
			const who = check.profiles.length > 1 ? `${what} shared by ${check.profiles.join(' and ')}` : `${check.profiles[0]}: ${what}`;
			return {id: check.id, profiles: check.profiles, tone: check.verdict === 'fail' ? 'error' : 'warn', text: terminalSafe(`${who}${check.fix ? `; fix: ${check.fix}` : ''}`)};
		});
}

/** Two audits saying the same thing (the reducer keeps its state, nothing is redrawn). */
export function sameCollisions(a: readonly FleetCollision[], b: readonly FleetCollision[]): boolean {
	return a.length === b.length && a.every((collision, index) => collision.text === b[index].text && collision.tone === b[index].tone);
}

/** The lines shown in `room` lines: every collision, or as many as fit and one that points to doctor --all for the rest. */
export function collisionLines(collisions: readonly FleetCollision[], room: number): Array<{text: string; tone: FleetCollision['tone'] | 'muted'}> {
	if (collisions.length <= room) {
		return collisions.map(({text, tone}) => ({text: `! ${text}`, tone}));
	}

	const shown = Math.max(0, room - 1);
	return [
		...collisions.slice(0, shown).map(({text, tone}) => ({text: `! ${text}`, tone})),
		{text: `! ${collisions.length - shown} more: run openclaw doctor --all`, tone: 'muted' as const},
	];
}
