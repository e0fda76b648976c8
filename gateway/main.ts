// Runs the gateway alone, without the CLI: `node dist/gateway/main.js [--port N] [--verbose] ...`.
import {parseArgs} from 'node:util';
import {runGateway} from './run.js';

const {values} = parseArgs({
	options: {
		port: {type: 'string'},
		bind: {type: 'string'},
		host: {type: 'string'},
		token: {type: 'string'},
		password: {type: 'string'},
		verbose: {type: 'boolean'},
		force: {type: 'boolean'},
		'allow-unconfigured': {type: 'boolean'},
		profile: {type: 'string'},
		dev: {type: 'boolean'},
	},
});

process.exitCode = await runGateway({...values, allowUnconfigured: values['allow-unconfigured']});
