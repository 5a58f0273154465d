/**
 * Which base operation is which head operation. An operation is its HTTP
 * method + path template with parameter names abstracted, the same identity
 * the name lock uses: `{task_id}` → `{workflow_run_id}` renames a parameter of
 * one operation, it does not remove one and add another. operationIds are
 * not identity (Dify renames them freely) and neither are summaries.
 */
import type { OperationModel } from "../codegen/operation-model.js";

/** "GET /workflow/{task_id}/events" → "GET /workflow/{}/events" */
export function operationIdentity(op: Pick<OperationModel, "method" | "path">): string {
  return `${op.method} ${op.path.replace(/\{[^{}]*\}/g, "{}")}`;
}

/**
 * Same method and the same literal segments: the path gained or lost a
 * parameter (`/files/{id}` → `/files/{app_id}/{id}`). Paired so the report says
 * "path parameter added" instead of "removed" + "added".
 */
function literalShape(op: Pick<OperationModel, "method" | "path">): string {
  return `${op.method} ${op.path.split("/").filter((s) => !/^\{[^{}]*\}$/.test(s)).join("/")}`;
}

export interface OperationPairing {
  /** Same identity; paths may differ in parameter names only. */
  matched: [base: OperationModel, head: OperationModel][];
  /** Same method and literal segments, different number of path parameters. */
  reshaped: [base: OperationModel, head: OperationModel][];
  removed: OperationModel[];
  added: OperationModel[];
}

export function pairOperations(base: readonly OperationModel[], head: readonly OperationModel[]): OperationPairing {
  const headById = new Map(head.map((op) => [operationIdentity(op), op]));
  const matched: OperationPairing["matched"] = [];
  const unmatchedBase: OperationModel[] = [];
  const used = new Set<OperationModel>();
  for (const op of base) {
    const twin = headById.get(operationIdentity(op));
    if (twin && !used.has(twin)) {
      matched.push([op, twin]);
      used.add(twin);
    } else unmatchedBase.push(op);
  }
  const unmatchedHead = head.filter((op) => !used.has(op));

  // Only an unambiguous one-to-one reshape is paired; anything else stays removed + added.
  const byShape = (ops: OperationModel[]) => {
    const groups = new Map<string, OperationModel[]>();
    for (const op of ops) groups.set(literalShape(op), [...(groups.get(literalShape(op)) ?? []), op]);
    return groups;
  };
  const baseShapes = byShape(unmatchedBase);
  const headShapes = byShape(unmatchedHead);
  const reshaped: OperationPairing["reshaped"] = [];
  for (const [shape, ops] of baseShapes) {
    const twins = headShapes.get(shape);
    if (ops.length === 1 && twins?.length === 1) reshaped.push([ops[0]!, twins[0]!]);
  }
  const pairedBase = new Set(reshaped.map(([b]) => b));
  const pairedHead = new Set(reshaped.map(([, h]) => h));
  return {
    matched,
    reshaped,
    removed: unmatchedBase.filter((op) => !pairedBase.has(op)),
    added: unmatchedHead.filter((op) => !pairedHead.has(op)),
  };
}
