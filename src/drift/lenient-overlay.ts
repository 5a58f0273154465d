/**
 * Our overlay applied to a revision it was not written for. The generator
 * applies it strictly (a target that matches nothing is an error); a drift
 * report compares old and new revisions, so here an action that does not
 * apply is skipped and said so: one whose target matches nothing, and one
 * that would leave a `$ref` pointing to nothing (e.g. an event union naming
 * schemas this revision calls differently), and one that would make the
 * operation model fail (an `x-codegen-stream` naming a property this
 * revision's body lacks): either would make the revision unreadable.
 */
import { GeneratorError } from "../codegen/errors.js";
import { buildOperationModel } from "../codegen/operation-model.js";
import { applyOverlay } from "../codegen/overlay.js";
import { forEachReference, isObject, lookup, refPath } from "../codegen/refs.js";
import type { SpecDocument } from "../codegen/spec-document.js";

export interface LenientOverlayResult {
  data: SpecDocument["data"];
  /** One line per skipped action, for the report. */
  skipped: string[];
}

export function applyOverlayLeniently(spec: SpecDocument, overlay: SpecDocument): LenientOverlayResult {
  const raw = overlay.data as unknown as Record<string, unknown>;
  // Not an overlay at all: let applyOverlay report it with its position.
  if (!Array.isArray(raw["actions"])) return { data: applyOverlay(spec, overlay, { strict: false }), skipped: [] };

  const skipped: string[] = [];
  let data = spec.data;
  let dangling = danglingRefs(data);
  let problem = modelProblem(spec);
  raw["actions"].forEach((action: unknown, i) => {
    const one = { ...overlay, data: { ...overlay.data, actions: [action] } } as SpecDocument;
    const next = applyOverlay({ ...spec, data }, one, { strict: false });
    const target = isObject(action) && typeof action["target"] === "string" ? action["target"] : "?";
    const what = `${overlay.file} action ${i + 1} (${target})`;
    if (JSON.stringify(next) === JSON.stringify(data)) {
      skipped.push(`${what} changes nothing in ${spec.file}`);
      return;
    }
    const nextDangling = danglingRefs(next);
    const introduced = [...nextDangling].filter((ref) => !dangling.has(ref));
    if (introduced.length > 0) {
      skipped.push(`${what} skipped for ${spec.file}: it refers to ${introduced.slice(0, 3).join(", ")}${introduced.length > 3 ? ", …" : ""}, which this revision lacks`);
      return;
    }
    const nextProblem = modelProblem({ ...spec, data: next });
    if (nextProblem !== undefined && problem === undefined) {
      skipped.push(`${what} skipped for ${spec.file}: ${nextProblem}`);
      return;
    }
    data = next;
    dangling = nextDangling;
    problem = nextProblem;
  });
  return { data, skipped };
}

/** The generator's complaint about the document's operations, if it has one. */
function modelProblem(spec: SpecDocument): string | undefined {
  try {
    buildOperationModel(spec);
    return undefined;
  } catch (error) {
    if (error instanceof GeneratorError) return error.problem;
    throw error;
  }
}

/** Every local `$ref` in the document whose target does not exist (external refs are not ours to judge). */
function danglingRefs(data: unknown): Set<string> {
  const dangling = new Set<string>();
  // The generator's walk: references outside data (a `$ref` inside an example is text).
  forEachReference(
    data,
    ({ ref, kind }) => {
      const path = kind === "$ref" ? refPath(ref) : undefined;
      if (path && lookup(data, path) === undefined) dangling.add(ref);
    },
    { skipData: true },
  );
  return dangling;
}
