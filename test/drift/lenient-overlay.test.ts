/**
 * Our overlay on a revision it was not written for: what applies is applied,
 * what would break the revision is skipped with a note saying why.
 */
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/codegen/spec-document.js";
import { applyOverlayLeniently } from "../../src/drift/lenient-overlay.js";
import { doc, json, object, postThing } from "./spec-builders.js";

const spec = parseSpec("spec.json", JSON.stringify(doc({ "/things": { post: postThing() } })), "0");
const overlay = (...actions: unknown[]) => parseSpec("overlay.yaml", JSON.stringify({ overlay: "1.0.0", info: { title: "t", version: "1" }, actions }), "0", "overlay");

describe("applyOverlayLeniently", () => {
  it("applies what applies and skips, with a reason, what does not", () => {
    const { data, skipped } = applyOverlayLeniently(
      spec,
      overlay(
        { target: "$.paths['/things'].post", update: { description: "from the overlay" } },
        { target: "$.paths['/gone'].get", update: { description: "x" } },
        { target: "$.paths['/things'].post.responses", update: json({ $ref: "#/components/schemas/Missing" }, "404") },
        { target: "$.paths['/things'].post", update: { "x-codegen-stream": { property: "response_mode", value: "streaming" } } },
        { target: "$.paths['/things'].post.responses", update: json(object({ code: { type: "string" } }), "default") },
      ),
    );
    expect(skipped).toEqual([
      `overlay.yaml action 2 ($.paths['/gone'].get) changes nothing in spec.json`,
      `overlay.yaml action 3 ($.paths['/things'].post.responses) skipped for spec.json: it refers to #/components/schemas/Missing, which this revision lacks`,
      `overlay.yaml action 4 ($.paths['/things'].post) skipped for spec.json: x-codegen-stream is set but no success response has text/event-stream content`,
    ]);
    const post = (data.paths["/things"] as { post: Record<string, unknown> }).post;
    expect(post["description"]).toBe("from the overlay");
    expect(Object.keys(post["responses"] as object)).toEqual(["201", "default"]);
    expect(post["x-codegen-stream"]).toBeUndefined();
  });
});
