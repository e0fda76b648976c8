// The words for a method a gateway did not list in its hello-ok: one phrasing, so a pane can tell "not served" (a
// fact about that gateway, shown muted) from a request that failed.
export function notServed(method: string): string {
	return `${method}: not served by this gateway`;
}

export function isNotServed(text: string): boolean {
	return text.endsWith(': not served by this gateway');
}
