// Prints the README's "When something is wrong" table (Markdown) from the signature table.
// Run: node --import tsx media/signatures-table.ts
import {signaturesMarkdown} from '../source/protocol/signatures.js';

console.log(signaturesMarkdown());
