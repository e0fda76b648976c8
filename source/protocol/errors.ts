// Errors both sides raise and both know how to print: a UsageError is the operator's input (a flag, a path, a
// config value) that cannot work, said with its fix; commands exit 2 on it, the gateway refuses to start.
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}
