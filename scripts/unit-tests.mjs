#!/usr/bin/env node
// The fast part of the suite for `npm run test:unit`: test files that start no process, server or terminal (no
// helper that does, no execa, no socket server). Chosen by what each file imports, so a new test lands on the right
// side by itself. `npm test` still runs everything.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const slowMarkers = [
	/from '\.\/helpers\/(cli-process|gateway-process|gateway|console-tmux|sshd|reference-gateway|supervision|fake-apis|local-gateway-parent)\.js'/,
	/from 'execa'/,
	/from 'ws'/,
	/node:child_process/,
	/createServer\(/,
];

const testDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test');
const unit = readdirSync(testDir)
	.filter((name) => /\.test\.tsx?$/.test(name))
	.filter((name) => !slowMarkers.some((marker) => marker.test(readFileSync(path.join(testDir, name), 'utf8'))))
	.sort()
	.map((name) => path.join('test', name));
process.stdout.write(`${unit.join('\n')}\n`);
