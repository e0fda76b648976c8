// OPENCLAW_CONSOLE_STATS=<file>: the console (panes or Fleet view) measures itself and writes the figures there when
// it exits (for bench/console-flood.ts and bench/fleet.ts): frames drawn, time spent drawing, and key-to-redraw
// latency, from the moment a key's bytes arrive on stdin to the end of the next frame (the key's effect is in it:
// keys are handled synchronously).
import {writeFile} from 'node:fs/promises';

export class RenderStats {
	private frames = 0;
	private renderMs = 0;
	private keyAt?: number;
	private readonly keyLatencies: number[] = [];

	constructor(stdin: NodeJS.ReadStream = process.stdin) {
		stdin.prependListener('readable', () => {
			this.keyAt ??= performance.now();
		});
	}

	onRender = ({renderTime}: {renderTime: number}): void => {
		this.frames++;
		this.renderMs += renderTime;
		if (this.keyAt !== undefined) {
			this.keyLatencies.push(performance.now() - this.keyAt);
			this.keyAt = undefined;
		}
	};

	async write(file: string): Promise<void> {
		await writeFile(file, `${JSON.stringify({frames: this.frames, renderMs: this.renderMs, keyLatencies: this.keyLatencies})}\n`);
	}
}
