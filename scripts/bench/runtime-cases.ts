/** The contenders and requests of the runtime section, shared by runtime.ts and runtime-child.ts. */

export const VARIANTS = [
  "facade (defaults)",
  "facade, maxRetries 0",
  "facade, maxRetries 0, timeoutMs Infinity",
  "facade (defaults), own fetch option",
  "openapi-fetch",
  "bare fetch",
] as const;
export type Variant = (typeof VARIANTS)[number];
export const OPERATIONS = ["GET ?query → 200 JSON", "DELETE + JSON body → 204"] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface RuntimeReport {
  /** Median microseconds per call, and every batch's figure. */
  perCallUs: Record<Variant, Record<Operation, { median: number; batches: number[] }>>;
  callsPerBatch: number;
  rounds: number;
}

/**
 * Calls of each request in a contender's profiled run, and the sampling interval: enough samples for the
 * comparison's entries of a tenth of a microsecond.
 */
export const PROFILED_CALLS = 20_000;
export const PROFILE_INTERVAL_US = 50;
