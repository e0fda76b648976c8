// What the page says while its device waits for an operator (`PAIRING_REQUIRED`: a connection from off this host, or
// `gateway.nodes.pairing.autoApproveLocal: false`). The gateway keeps the request; the page shows its device id and
// the command that approves it, and keeps reconnecting, so it is in as soon as someone runs that command.
// The command is `openclaw devices approve <requestId>`, in the form OpenClaw's own CLI takes, so it works with either.

/** The command an operator runs on the gateway host; without a request id, the one that lists the requests. */
export function approveCommand(requestId: string | undefined): string {
	return requestId ? `openclaw devices approve ${requestId}` : 'openclaw devices list';
}

export function pairingNotice(deviceId: string, requestId: string | undefined): {title: string; device: string; command: string; after: string} {
	return {
		title: 'This browser is not paired with the gateway yet.',
		device: `device ${deviceId}`,
		command: approveCommand(requestId),
		after: 'Run this on the gateway host (or approve the request from a paired client): the page connects by itself once it is approved.',
	};
}
