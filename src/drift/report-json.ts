/**
 * The report for machines (`--format json`): `changes` and `semver` as the
 * issue specifies them, then the facade surface diff, the consumer's broken
 * call sites (with --consumer) and the notes. Stable key order, two-space
 * indentation, so CI can diff two reports.
 */
import type { Change } from "./change.js";
import type { DriftReport } from "./drift-report.js";
import type { FacadeChange } from "./facade-surface.js";
import type { SemverBump } from "./semver.js";

export interface JsonReport {
  changes: Pick<Change, "severity" | "rule" | "operation" | "method" | "pointer" | "before" | "after" | "message">[];
  semver: SemverBump;
  /** The app type compared (`--app`). */
  app?: string;
  facade?: FacadeChange[];
  consumer?: { tsconfig: string; errors: string[]; preexisting: number };
  notes: string[];
}

export function renderJson(report: DriftReport): string {
  const json: JsonReport = {
    // Fields picked one by one: the order and the set are the contract.
    changes: report.changes.map(({ severity, rule, operation, method, pointer, before, after, message }) => ({ severity, rule, operation, method, pointer, before, after, message })),
    semver: report.semver,
    ...(report.app !== undefined && { app: report.app }),
    ...(report.facade && { facade: report.facade }),
    ...(report.consumer && { consumer: { tsconfig: report.consumer.tsconfig, errors: report.consumer.errors, preexisting: report.consumer.preexisting } }),
    notes: report.notes,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
