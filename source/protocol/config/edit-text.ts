// Config writes edit the operator's file instead of rewriting it: the changes between the old and the new config are
// applied to the file's text, so comments, unquoted keys, quotes, trailing commas and layout survive everywhere the
// change does not reach. config.set and config.apply (whole-config replacements) go through the same path, so a key
// that is still there keeps its comments.
//
// Library: @croct/json5-parser, a lossless (concrete syntax tree) JSON5 parser whose object nodes take set/delete by
// key and print back every untouched token as it was, new entries styled like their neighbours. Chosen because the
// config is JSON5: jsonc-parser (Microsoft, the best-kept of the field) reads only JSONC, and on an unquoted key its
// edit inserted a second object ahead of the file's; comment-json reads JSON with comments, not JSON5; jju (the most
// used, through rushstack) and golden-fleece edit JSON5 too, but are untyped and long without a release, and jju wrote
// a digit-only key unquoted (not JSON5). Croct's is maintained, typed and tested, but pre-1.0: its version is pinned.
//
// Its limits, each met by the check below (the edited text must parse, with the json5 package the gateway reads the
// file with, to exactly the new config) or by falling back to the plain rewrite:
// - it cannot parse some legal JSON5 (`\x41` and `\0` escapes, `\u` escapes in unquoted keys): rewrite;
// - with a duplicated key it edits the first, where JSON5 keeps the last: the check fails: rewrite;
// - values JSON lacks (Infinity, NaN) it writes as null: the check fails: rewrite (untouched ones stay as written);
// - an array that changes is printed anew (comments inside it go): arrays have no names to edit items by;
// - removing an entry can leave stray whitespace: the closing brace of a block with a trailing comma indented like
//   the entry that went, a space after `{` when the first of a one-line block goes.
import {createRequire} from 'node:module';
import {isDeepStrictEqual} from 'node:util';
import type * as Croct from '@croct/json5-parser';
import JSON5 from 'json5';
import {configChanges, type ConfigChange} from './changes.js';
import {serializeConfig} from './write.js';

export type ConfigText =
	| {text: string; formatting: 'kept'}
	/** No earlier text to keep: the file was missing or blank. */
	| {text: string; formatting: 'new'}
	/** The old text could not be edited; `text` is the plain-JSON rewrite and `reason` says why. */
	| {text: string; formatting: 'rewritten'; reason: string};

let croct: typeof Croct | undefined;

/** The editor, loaded at the first config write rather than at gateway start, whose time is counted (bundle-gateway). */
function editor(): typeof Croct {
	croct ??= createRequire(import.meta.url)('@croct/json5-parser') as typeof Croct;
	return croct;
}

/** Apply `changes` to JSON5 `raw`, keeping everything they do not touch. Throws when `raw` cannot be edited. */
export function applyChangesToText(raw: string, changes: readonly ConfigChange[]): string {
	const {JsonObjectNode, JsonParser} = editor();
	const root = JsonParser.parse(raw, JsonObjectNode);
	for (const change of changes) {
		const key = change.path.at(-1);
		if (key === undefined) {
			throw new Error('the whole document would be replaced');
		}

		let parent = root;
		for (const name of change.path.slice(0, -1)) {
			parent = parent.get(name, JsonObjectNode);
		}

		if (change.op === 'remove') {
			parent.delete(key);
		} else {
			// Config values are JSON values (JSON5 in, validated); the check after the edit catches any that are not.
			parent.set(key, change.value as Parameters<Croct.JsonObjectNode['set']>[1]);
		}
	}

	return root.toString();
}

/** The text to write for `next`: edited into `raw` when that reads back as exactly `next`, else the plain rewrite. */
export function configTextFor(raw: string, next: unknown): ConfigText {
	if (raw.trim() === '') {
		return {text: serializeConfig(next), formatting: 'new'};
	}

	const rewrite = (reason: string): ConfigText => ({text: serializeConfig(next), formatting: 'rewritten', reason});
	let before: unknown;
	try {
		before = JSON5.parse(raw);
	} catch (error) {
		return rewrite(`the file is not valid JSON5: ${(error as Error).message.replace(/^JSON5: /, '')}`);
	}

	let text: string;
	try {
		text = applyChangesToText(raw, configChanges(before, next));
	} catch (error) {
		return rewrite(`cannot edit the file in place: ${(error as Error).message}`);
	}

	let reread: unknown;
	try {
		reread = JSON5.parse(text);
	} catch (error) {
		return rewrite(`the edited file would not parse: ${(error as Error).message.replace(/^JSON5: /, '')}`);
	}

	return isDeepStrictEqual(reread, next) ? {text, formatting: 'kept'} : rewrite('the edited file would not read back as the new config');
}
