// What a gateway says it serves, by its hello-ok (features.methods, features.events), and the one phrasing for a
// method it did not list. The console, the Control UI and every CLI command ask here before sending a request, so
// none sends one blind; the phrasing lets a pane or a report tell "not served" (a fact about that gateway) from a
// request that failed. Types only from the protocol: the Control UI's browser bundle loads this file too.
import type {HelloOk} from '../protocol/index.js';

/** A link that may have said hello: GatewayClient, the Control UI's socket, a CLI session's client. */
export type AdvertisingLink = {readonly hello?: HelloOk};

/** Whether the gateway on this link serves `method`. Before a hello (or from one without a list) nothing is known: yes. */
export function serves(link: AdvertisingLink, method: string): boolean {
	const methods = link.hello?.features?.methods;
	return !Array.isArray(methods) || methods.includes(method);
}

/** Whether the gateway on this link sends `event`, by its hello-ok (features.events); before a hello: yes. */
export function sendsEvent(link: AdvertisingLink, event: string): boolean {
	const events = link.hello?.features?.events;
	return !Array.isArray(events) || events.includes(event);
}

/** Of `methods`, those the gateway on this link did not list, in the order given. */
export function unservedOf(link: AdvertisingLink, methods: readonly string[]): string[] {
	return methods.filter((method) => !serves(link, method));
}

export function notServed(method: string): string {
	return `${method}: not served by this gateway`;
}

export function isNotServed(text: string): boolean {
	return text.endsWith(': not served by this gateway');
}
