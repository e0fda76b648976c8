// How a transport's way in (a socket, a long poll) is doing, as the account snapshot shows it: up (or not known to be
// failing), failing and being retried (still running, the failure as lastError), or given up for good because the
// service refused it in a way no retry fixes (not running until the channel is started again). Pure: the transports
// report into it, the manager reads it.

export class ReceiveHealth {
	private error?: string;
	private final = false;
	private onGiveUp?: (reason: string) => void;

	/** A fresh start: nothing failing, and who to tell if this run gives up. */
	begin(onGiveUp?: (reason: string) => void): void {
		this.error = undefined;
		this.final = false;
		this.onGiveUp = onGiveUp;
	}

	/** A failure that the transport retries. */
	retrying(reason: string): void {
		if (!this.final) {
			this.error = reason;
		}
	}

	/** The way in works again (a socket's session is up, a poll was answered). */
	up(): void {
		if (!this.final) {
			this.error = undefined;
		}
	}

	/** The transport stopped itself for good; told once, however often the transport reports it. */
	giveUp(reason: string): void {
		if (this.final) {
			return;
		}

		this.final = true;
		this.error = reason;
		const tell = this.onGiveUp;
		this.onGiveUp = undefined;
		tell?.(reason);
	}

	/** Stopped from outside: a failure being retried is over; why it gave up, if it did, stays until the next begin. */
	end(): void {
		this.onGiveUp = undefined;
		this.up();
	}

	/** The current failure: the one being retried, or why the transport gave up. */
	get lastError(): string | undefined {
		return this.error;
	}

	get gaveUp(): boolean {
		return this.final;
	}
}
