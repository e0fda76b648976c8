// What a method handler is given and must return. Adding a method = its params and result in the method map
// (source/protocol/methods/), one file exporting a `defineMethod(...)` and one line in methods/index.ts.
import type {z} from 'zod';
import type {ClientInfo} from '../../source/protocol/index.js';
import type {MethodAccepted, MethodName, MethodParams, MethodResult} from '../../source/protocol/methods/index.js';
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

export type MethodContext<Accepted = unknown> = {
	gateway: GatewayRuntime;
	caller: CallerInfo;
	requestId: string;
	/**
	 * First stage of a two-stage answer: sends `res ok:true` now; the handler's return value is the final `res`. Typed
	 * by the method map: a method the map does not make two-stage cannot call it.
	 */
	accept(payload: Accepted): void;
	/** Aborted when the caller's socket closes. */
	signal: AbortSignal;
};

/** A registered method, its types erased: what the server's registry and the connection's dispatch hold. */
export type MethodSpec = {
	name: string;
	/** Required operator scope; `null` means any authenticated connection (only `health`). */
	scope: string | null;
	/** Closed params schema; missing params validate as `{}`. */
	params?: z.ZodTypeAny;
	/** Listed in `hello-ok.features.methods` (default true). */
	advertise?: boolean;
	handler(params: unknown, ctx: MethodContext): unknown;
};

/** An object type without its index signature (a passthrough schema's `[k: string]: unknown`), union by union. */
type Known<T> = T extends unknown ? {[K in keyof T as string extends K ? never : number extends K ? never : K]: T[K]} : never;
type SameKeys<A, B> = [keyof Known<A>] extends [keyof Known<B>] ? ([keyof Known<B>] extends [keyof Known<A>] ? true : false) : false;

/**
 * The schema must say what the map says: its output fits the map's params (what the handler reads is what the map
 * promises), the map's params fit its input (every param a client may send per the map is accepted), and the two
 * name the same keys (an optional key in one only would pass both assignability checks). A mismatch fails to
 * compile at the `defineMethod` call, naming the method. Keys a passthrough schema lets through unnamed are not params
 * the handler reads, so the output is compared without them.
 */
type ParamsMatch<M extends MethodName, S extends z.ZodTypeAny> = [Known<z.output<S>>] extends [MethodParams<M>]
	? [MethodParams<M>] extends [z.input<S>]
		? SameKeys<MethodParams<M>, z.output<S>> extends true
			? unknown
			: {'params schema keys differ from the method map': M}
		: {'method map params are not accepted by the params schema': M}
	: {'params schema output does not fit the method map': M};

export type TypedMethodSpec<M extends MethodName, S extends z.ZodTypeAny> = {
	name: M;
	scope: string | null;
	params: S & ParamsMatch<M, S>;
	advertise?: boolean;
	handler(params: MethodParams<M>, ctx: MethodContext<MethodAccepted<M>>): MethodResult<M> | Promise<MethodResult<M>>;
};

/** A method typed by its name in the method map: params as the map says, and a result the map's type must accept. */
export function defineMethod<M extends MethodName, S extends z.ZodTypeAny>(spec: TypedMethodSpec<M, S>): MethodSpec {
	return spec as unknown as MethodSpec;
}

/**
 * A method outside the map, for a gateway assembled in a test (a slow method, a two-stage one): params as its schema
 * says, result unchecked. The production registry serves map methods only (test/method-map.test.ts holds it).
 */
export function defineUnmappedMethod<N extends string, P = unknown>(spec: {
	name: N extends MethodName ? never : N;
	scope: string | null;
	params?: z.ZodType<P, z.ZodTypeDef, unknown>;
	advertise?: boolean;
	handler(params: P, ctx: MethodContext): unknown;
}): MethodSpec {
	return spec as unknown as MethodSpec;
}
