// `{{path}}` templates for hook mappings: `{{messages[0].subject}}` reads the JSON payload, `{{headers.x-name}}`
// a request header, `{{query.name}}` a query parameter, `{{payload}}` the whole payload as JSON.
export type TemplateContext = {
	payload: Record<string, unknown>;
	headers: Record<string, string | string[] | undefined>;
	query: URLSearchParams;
	path: string;
};

/**
 * Walk `a.b[0].c` through nested objects/arrays; undefined when any step is missing. Own properties only: a mapping
 * must not reach `constructor`, `__proto__` or `toString` of the payload and print engine internals into a prompt.
 */
export function lookup(root: unknown, path: string): unknown {
	const steps = path.match(/[^.[\]]+/g) ?? [];
	let value: unknown = root;
	for (const step of steps) {
		if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) {
			return undefined;
		}

		value = (value as Record<string, unknown>)[step];
	}

	return value;
}

function resolve(expression: string, context: TemplateContext): unknown {
	if (expression === 'payload') {
		return context.payload;
	}

	if (expression === 'path') {
		return context.path;
	}

	if (expression.startsWith('payload.')) {
		return lookup(context.payload, expression.slice('payload.'.length));
	}

	if (expression.startsWith('headers.')) {
		const value = context.headers[expression.slice('headers.'.length).toLowerCase()];
		return Array.isArray(value) ? value.join(', ') : value;
	}

	if (expression.startsWith('query.')) {
		return context.query.get(expression.slice('query.'.length)) ?? undefined;
	}

	return lookup(context.payload, expression);
}

export function renderTemplate(template: string, context: TemplateContext): string {
	return template.replace(/{{\s*([^}]+?)\s*}}/g, (_match, expression: string) => {
		const value = resolve(expression, context);
		if (value === undefined || value === null) {
			return '';
		}

		return typeof value === 'object' ? JSON.stringify(value) : String(value);
	});
}
