// The page's one DOM helper. Gateway text only ever becomes a text node (SECURITY.md: the Control UI renders gateway
// text as text, never as HTML): there is no innerHTML anywhere in the page.
type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
	const element = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		element.setAttribute(name, value);
	}

	for (const child of children) {
		if (child !== undefined && child !== false) {
			element.append(child);
		}
	}

	return element;
}

/** Replace an element's children, leaving it alone when nothing changed (keeps text selections and scroll). */
export function replaceChildren(element: Element, children: Node[], key: string): void {
	if ((element as HTMLElement).dataset.key === key) {
		return;
	}

	(element as HTMLElement).dataset.key = key;
	element.replaceChildren(...children);
}
