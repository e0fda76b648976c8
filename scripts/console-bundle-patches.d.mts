// Types for scripts/console-bundle-patches.mjs (esbuild plugins, kept plain JavaScript like the build scripts).
type Plugin = {name: string; setup(builder: unknown): void};
export const inkDevtoolsStub: Plugin;
export const yogaWasmBinary: Plugin;
export const narrowFirst: Plugin;
export const inkFrameCaches: Plugin;
export const frameCacheCarry: string;
