// Types for scripts/build-if-stale.mjs (a plain script, so `npm start` needs no compiler to decide whether to build).
export const buildInputs: string[];
export function staleReason(root: string): string | undefined;
export function markBuilt(root: string): void;
