/**
 * OpenAPI Overlay 1.0 (https://spec.openapis.org/overlay/v1.0.0): our
 * corrections to an upstream spec, kept apart so the upstream file stays
 * verbatim. JSONPath targets are evaluated by jsonpath-plus.
 */
import { JSONPath } from "jsonpath-plus";
import { GeneratorError } from "./errors.js";
import { isObject } from "./refs.js";
import type { SpecDocument } from "./spec-document.js";

export interface OverlayOptions {
  /**
   * A target that matches nothing is an error by default: the upstream spec
   * moved and the correction no longer applies. The drift report compares old
   * revisions and sets this to false.
   */
  strict?: boolean;
}

/** Applies the overlay's actions in order to a deep copy of `spec.data`; returns the new document data. */
export function applyOverlay(spec: SpecDocument, overlay: SpecDocument, options: OverlayOptions = {}): SpecDocument["data"] {
  const raw = overlay.data as unknown as Record<string, unknown>;
  if (typeof raw["overlay"] !== "string" || !/^1\./.test(raw["overlay"])) {
    throw new GeneratorError(overlay.file, overlay.locate(["overlay"]) ?? { line: 1, col: 1 }, "not an OpenAPI Overlay 1.x document (no `overlay: 1.0.0`)", "start the file with `overlay: 1.0.0`, `info` and `actions`");
  }
  if (!Array.isArray(raw["actions"])) {
    throw new GeneratorError(overlay.file, overlay.locate(["actions"]) ?? { line: 1, col: 1 }, "the overlay has no `actions` list", "add `actions:` with `target` and `update` or `remove: true`");
  }
  const data = structuredClone(spec.data);
  raw["actions"].forEach((action: unknown, i: number) => {
    const at = ["actions", i];
    if (!isObject(action) || typeof action["target"] !== "string") {
      throw new GeneratorError(overlay.file, overlay.locate(at), `action ${i + 1} has no string \`target\``, "give it a JSONPath target such as $.paths['/x'].post");
    }
    const target = action["target"];
    let matches: { parent: unknown; parentProperty: string | number; value: unknown }[];
    try {
      matches = JSONPath({ path: target, json: data, resultType: "all", wrap: true, eval: false }) as typeof matches;
    } catch (cause) {
      throw new GeneratorError(overlay.file, overlay.locate([...at, "target"]), `target ${JSON.stringify(target)} is not valid JSONPath (${(cause as Error).message})`, "correct the JSONPath expression");
    }
    if (matches.length === 0 && options.strict !== false) {
      throw new GeneratorError(
        overlay.file,
        overlay.locate([...at, "target"]),
        `target ${JSON.stringify(target)} matches nothing in ${spec.file}`,
        "the upstream spec changed: update or delete this action",
      );
    }
    for (const match of matches) {
      if (action["remove"] === true) remove(match.parent, match.parentProperty);
      else if (action["update"] !== undefined) update(match.parent, match.parentProperty, match.value, action["update"]);
    }
  });
  return data;
}

function remove(parent: unknown, key: string | number): void {
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (isObject(parent)) delete parent[key];
}

/** Objects merge recursively, arrays get the update appended, anything else is replaced. */
function update(parent: unknown, key: string | number, value: unknown, patch: unknown): void {
  if (Array.isArray(value)) {
    value.push(...(Array.isArray(patch) ? patch : [patch]).map((item) => structuredClone(item)));
  } else if (isObject(value) && isObject(patch)) {
    for (const [k, v] of Object.entries(patch)) update(value, k, value[k], v);
  } else if (isObject(parent) || Array.isArray(parent)) {
    (parent as Record<string | number, unknown>)[key] = structuredClone(patch);
  }
}
