// `openclaw console`: the Ink operator console (source/console). Local mode (default) runs a child gateway;
// --attach/--url attaches to a running one; --ssh goes through an SSH tunnel; --once prints a plain snapshot.
import type {CommandContext} from './registry.js';

export async function run(context: CommandContext): Promise<number> {
	// React picks its build when it is first loaded: the development build costs several times the CPU and memory
	// (it records a performance mark per commit), so load it as production unless told otherwise. The child gateway
	// must not inherit the setting, hence the restore.
	const previous = process.env.NODE_ENV;
	process.env.NODE_ENV ??= 'production';
	let runConsole: (typeof import('../console/run.js'))['runConsole'];
	try {
		({runConsole} = await import('../console/run.js'));
	} finally {
		if (previous === undefined) {
			delete process.env.NODE_ENV;
		}
	}

	return runConsole(context);
}
