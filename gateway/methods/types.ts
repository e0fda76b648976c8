// What a method handler is given and must return. Adding a method = one file exporting a `defineMethod(...)` and
// one line in methods/index.ts.
import type {z} from 'zod';
import type {ClientInfo} from '../../source/protocol/index.js';
import type {GatewayRuntime} from '../runtime.js';

export type CallerInfo = {
	connId: string;
	client: ClientInfo;
	role: string;
	scopes: readonly string[];
	ip: string;
	caps: readonly string[];
	/** The verified device identity, when the connection had one. */
	deviceId?: string;
};

export type MethodContext = {
	gateway: GatewayRuntime;
	caller: CallerInfo;
	requestId: string;
	/** First stage of a two-stage answer: sends `res ok:true` now; the handler's return value is the final `res`. */
	accept(payload: unknown): void;
	/** Aborted when the caller's socket closes. */
	signal: AbortSignal;
};

export type MethodSpec<P = unknown> = {
	name: string;
	/** Required operator scope; `null` means any authenticated connection (only `health`). */
	scope: string | null;
	/** Closed params schema; missing params validate as `{}`. */
	params?: z.ZodType<P>;
	/** Listed in `hello-ok.features.methods` (default true). */
	advertise?: boolean;
	handler(params: P, ctx: MethodContext): unknown;
};

export function defineMethod<P>(spec: MethodSpec<P>): MethodSpec<unknown> {
	return spec as MethodSpec<unknown>;
}
