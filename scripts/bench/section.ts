/** What every benchmark section takes and gives back to scripts/bench.ts. */

export interface SectionOptions {
  /** Fewer runs, no profiles: a smoke test of the benchmark, not a measurement. */
  quick: boolean;
}

/** One line of the closing summary. */
export interface TargetRow {
  section: string;
  what: string;
  target: string;
  measured: string;
  status: "met" | "MISSED" | "info";
}
