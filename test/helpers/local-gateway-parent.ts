// A stand-in for the console in process tests: starts a LocalGateway with the cleanup handlers installed, prints
// {"pid", "childPid", "stateDir"} as one JSON line once the child is ready, then waits to be signalled.
import {installCleanupHandlers} from '../../source/supervisor/cleanup.js';
import {LocalGateway} from '../../source/supervisor/local-gateway.js';

const gateway = new LocalGateway();
installCleanupHandlers(gateway);
await gateway.start();
process.stdout.write(`${JSON.stringify({pid: process.pid, childPid: gateway.pid, stateDir: gateway.stateDir})}\n`);
// Bounded: a forgotten parent ends itself (and its child) after a minute.
setTimeout(() => {
	void gateway.dispose().then(() => process.exit(3));
}, 60_000);
