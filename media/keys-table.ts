// Prints the console's keys table (Markdown) from the keymap, for the README's Console section.
// Run: node --import tsx media/keys-table.ts
import {keysMarkdown} from '../source/console/keymap.js';

console.log(keysMarkdown());
