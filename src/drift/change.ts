/**
 * One finding of the drift report, in the shape `--format json` prints, and
 * the collector the comparisons report into.
 */
import type { KeyPath } from "../codegen/refs.js";
import { severityOf, type RuleId, type Severity } from "./rules.js";

export interface Change {
  severity: Severity;
  rule: RuleId;
  /** "DELETE /conversations/{conversation_id}" (head's path when the operation still exists); null for spec-wide changes. */
  operation: string | null;
  /** The facade method name; null for spec-wide changes. */
  method: string | null;
  /** RFC 6901 pointer into the head spec, or into the base spec when the thing was removed. */
  pointer: string;
  before: unknown;
  after: unknown;
  message: string;
}

/** Where a change is in each spec; `head` is undefined for removals, `base` for additions. */
export interface Where {
  base?: KeyPath | undefined;
  head?: KeyPath | undefined;
}

export type Emit = (rule: RuleId, where: Where, before: unknown, after: unknown, message: string) => void;

export class ChangeList {
  readonly changes: Change[] = [];
  readonly #seen = new Set<string>();

  /** An emitter bound to one operation. */
  for(operation: string | null, method: string | null): Emit {
    return (rule, where, before, after, message) => {
      const pointer = toPointer(where.head ?? where.base ?? []);
      // A schema shared by two places of one operation is compared twice; report it once.
      const key = JSON.stringify([rule, operation, pointer, message]);
      if (this.#seen.has(key)) return;
      this.#seen.add(key);
      this.changes.push({ severity: severityOf(rule), rule, operation, method, pointer, before: before ?? null, after: after ?? null, message });
    };
  }
}

/** ["paths", "/files/upload", "post"] → "/paths/~1files~1upload/post" (RFC 6901). */
export function toPointer(path: KeyPath): string {
  return path.map((part) => `/${String(part).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
