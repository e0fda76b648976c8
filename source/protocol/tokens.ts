// The shared gateway token this package makes when there is none (the gateway's first start, `setup`, the console's
// embedded profile). Hex: 192 random bits that an operator can paste after `--token` as they are. base64url could
// begin with "-", which a command line reads as another option ("Option '--token' argument is ambiguous").
import {randomBytes} from 'node:crypto';

export function newGatewayToken(): string {
	return randomBytes(24).toString('hex');
}
