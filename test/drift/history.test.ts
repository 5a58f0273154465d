/**
 * The drift report on Dify's real Chatflow spec history (test/fixtures/history,
 * eight revisions, compared pairwise with the overlay frozen next to them and
 * the project's name lock):
 * the findings a reviewer must see for each step, and none of the false
 * alarms a naive diff raises (operationIds and parameter names renamed,
 * summaries rewritten, error schemas moved).
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { Change } from "../../src/drift/change.js";
import { buildDriftReport, type DriftReport } from "../../src/drift/drift-report.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HISTORY = "test/fixtures/history";
// Frozen, so that updating spec/dify-service.overlay.yaml for a new spec does not move these findings.
const OVERLAY = `${HISTORY}/overlay-2026-03-01.yaml`;
const revisions = readdirSync(new URL(`../../${HISTORY}/`, import.meta.url)).filter((f) => f.endsWith(".json")).sort();
const pairs = revisions.slice(1).map((head, i) => [revisions[i]!, head] as const);
const reports = new Map<string, DriftReport>();

/** "2026-03-01 → 2026-03-23" */
const pairName = (base: string, head: string) => `${base.slice(0, 10)} → ${head.slice(0, 10)}`;

beforeAll(async () => {
  for (const [base, head] of pairs) {
    reports.set(pairName(base, head), await buildDriftReport({ cwd: ROOT, base: `${HISTORY}/${base}`, head: `${HISTORY}/${head}`, app: "chatflow", overlay: OVERLAY, facade: false }));
  }
});

function report(name: string): DriftReport {
  const found = reports.get(name);
  if (!found) throw new Error(`no report for ${name}; pairs: ${[...reports.keys()].join(", ")}`);
  return found;
}

/** Changes as `rule operation` lines, for readable failures. */
const lines = (changes: Change[]) => changes.map((c) => `${c.rule} ${c.operation ?? "(spec)"}`);
const find = (name: string, rule: string, operation: string | null) => report(name).changes.filter((c) => c.rule === rule && c.operation === operation);
const significant = (name: string) => report(name).changes.filter((c) => c.rule !== "description-changed");

describe("real Chatflow spec history, each consecutive pair", () => {
  it("has the eight revisions", () => {
    expect(revisions).toHaveLength(8);
    expect(pairs.map(([b, h]) => pairName(b, h))).toContain("2026-03-01 → 2026-03-23");
  });

  it("never reports a removed operation: Dify renamed operationIds, summaries and parameters, but removed nothing", () => {
    for (const [name, r] of reports) expect(lines(r.changes.filter((c) => c.rule === "operation-removed")), name).toEqual([]);
  });

  it("2025-05-19 → 2025-08-05: the default server moved from example.com to api.dify.ai", () => {
    const name = "2025-05-19 → 2025-08-05";
    expect(report(name).semver).toBe("major");
    expect(lines(report(name).changes.filter((c) => c.severity === "breaking"))).toEqual(["default-server-url-changed (spec)"]);
    expect(find(name, "default-server-url-changed", null)[0]).toMatchObject({ before: "https://example.com/api/v1", after: "https://api.dify.ai/v1", method: null });
  });

  it("2025-08-05 → 2025-09-05: file preview added, nothing else but docs", () => {
    const name = "2025-08-05 → 2025-09-05";
    expect(lines(significant(name))).toEqual(["operation-added GET /files/{file_id}/preview"]);
    expect(significant(name)[0]).toMatchObject({ method: "previewFile", severity: "non-breaking" });
    expect(report(name).semver).toBe("minor");
  });

  it("2025-09-05 → 2026-03-01: variable_name query parameter dropped, end-user lookup added", () => {
    const name = "2025-09-05 → 2026-03-01";
    expect(lines(significant(name)).sort()).toEqual(["operation-added GET /end-users/{end_user_id}", "request-parameter-removed GET /conversations/{conversation_id}/variables"]);
    expect(find(name, "request-parameter-removed", "GET /conversations/{conversation_id}/variables")[0]).toMatchObject({ method: "getConversationVariables", before: "variable_name" });
    expect(report(name).semver).toBe("major");
  });

  describe("2026-03-01 → 2026-03-23 (the big rewrite)", () => {
    const name = "2026-03-01 → 2026-03-23";
    const del = "DELETE /conversations/{conversation_id}";

    it("the DELETE body is optional now, and `user` no longer required", () => {
      expect(find(name, "request-body-made-optional", del)).toEqual([expect.objectContaining({ method: "deleteConversation", severity: "non-breaking", before: true, after: false })]);
      expect(find(name, "request-property-made-optional", del)).toEqual([expect.objectContaining({ method: "deleteConversation", message: "`params.user` is no longer required" })]);
      expect(report(name).changes.filter((c) => c.operation === del && c.severity === "breaking")).toEqual([]);
    });

    it("upload succeeds with 201 instead of 200", () => {
      expect(find(name, "success-status-changed", "POST /files/upload")).toEqual([
        expect.objectContaining({ method: "uploadFile", severity: "breaking", before: "200", after: "201", pointer: "/paths/~1files~1upload/post/responses/201" }),
      ]);
    });

    it("text-to-audio answers audio/mpeg instead of audio/wav or audio/mp3", () => {
      expect(find(name, "response-content-type-changed", "POST /text-to-audio")).toEqual([
        expect.objectContaining({ method: "textToAudio", before: ["audio/wav", "audio/mp3"], after: ["audio/mpeg"] }),
      ]);
    });

    it("error responses lost their schemas (shared error responses were inlined as examples), which is info only", () => {
      const removed = report(name).changes.filter((c) => c.rule === "error-schema-removed");
      expect(removed.map((c) => `${c.operation} ${String(c.before)}`)).toEqual(
        expect.arrayContaining(["POST /files/upload 400", "POST /files/upload 413", "POST /files/upload 415", "POST /chat-messages 400", "GET /end-users/{end_user_id} 404"]),
      );
      expect(removed.every((c) => c.severity === "info")).toBe(true);
      expect(find(name, "error-response-removed", "POST /files/upload").map((c) => c.before)).toEqual(["500", "503"]);
    });

    it("new operations get derived method names", () => {
      expect(report(name).changes.filter((c) => c.rule === "operation-added").map((c) => c.operation)).toEqual([
        "GET /workflows/logs",
        "GET /workflows/run/{workflow_run_id}",
        "PUT /conversations/{conversation_id}/variables/{variable_id}",
      ]);
      expect(find(name, "operation-added", "GET /workflows/logs")[0]!.method).toMatch(/^[a-z][A-Za-z]+$/);
    });

    it("sendChatMessage no longer streams by default: response_mode lost its default", () => {
      expect(find(name, "stream-default-changed", "POST /chat-messages")).toEqual([expect.objectContaining({ method: "sendChatMessage", severity: "breaking", before: true, after: false })]);
    });

    it("rewritten summaries are info, and the lock keeps the method names", () => {
      const summary = find(name, "operation-summary-changed", "GET /files/{file_id}/preview")[0];
      expect(summary).toMatchObject({ method: "previewFile", severity: "info", before: "File Preview", after: "Download File" });
      expect(summary!.message).toContain("the name lock keeps `previewFile`");
    });

    it("response fields made nullable are breaking and named by the facade's result path", () => {
      expect(find(name, "response-property-made-nullable", "POST /files/upload").map((c) => c.message)).toContain("`result.extension` can be null now: callers must handle null");
    });
  });

  it("2026-03-23 → 2026-04-29: human input forms and the workflow event stream added", () => {
    const name = "2026-03-23 → 2026-04-29";
    expect(report(name).changes.filter((c) => c.severity !== "info").map((c) => `${c.rule} ${c.operation}`)).toEqual([
      "operation-added GET /form/human_input/{form_token}",
      "operation-added GET /workflow/{task_id}/events",
      "operation-added POST /form/human_input/{form_token}",
    ]);
    expect(report(name).semver).toBe("minor");
  });

  it("2026-04-29 → 2026-06-01: the server template moved `https://` out of the variable (same default URL); upload's `user` required again", () => {
    const name = "2026-04-29 → 2026-06-01";
    expect(find(name, "default-server-url-changed", null)).toEqual([]);
    expect(find(name, "server-template-changed", null)).toHaveLength(1);
    expect(lines(report(name).changes.filter((c) => c.severity === "breaking"))).toEqual(["request-property-made-required POST /files/upload"]);
  });

  it("2026-06-01 → 2026-07-09 with 0.2.0's overlay: typing an untyped event stream is a narrowing for every operation", async () => {
    // That overlay types both streams; before, streamWorkflowEvents' `type: string` stream read as a change from string to a union.
    const typed = await buildDriftReport({
      cwd: ROOT,
      base: `${HISTORY}/2026-06-01_6c348a6b_openapi_chatflow.json`,
      head: `${HISTORY}/2026-07-09_7ccb166c_openapi_chatflow.json`,
      app: "chatflow",
      overlay: "test/fixtures/chatflow-0.2.0/overlay.yaml",
      facade: false,
    });
    const streams = typed.changes.filter((c) => c.method === "sendChatMessage" || c.method === "streamWorkflowEvents").filter((c) => c.pointer?.includes("event-stream"));
    expect(streams.map((c) => `${c.severity} ${c.rule} ${c.method}`).sort()).toEqual([
      "non-breaking response-type-narrowed sendChatMessage",
      "non-breaking response-type-narrowed streamWorkflowEvents",
    ]);
  });

  it("2026-06-01 → 2026-07-09: {task_id} → {workflow_run_id} is a rename of the same operation, not a removal", () => {
    const name = "2026-06-01 → 2026-07-09";
    expect(report(name).changes.filter((c) => c.rule === "operation-added")).toEqual([]);
    expect(find(name, "path-parameter-renamed", "GET /workflow/{workflow_run_id}/events")).toEqual([
      expect.objectContaining({ severity: "info", before: "task_id", after: "workflow_run_id" }),
    ]);
    // The DELETE body is required again, but with no required property `params` stays optional.
    expect(find(name, "request-body-flag-changed", "DELETE /conversations/{conversation_id}")).toHaveLength(1);
    expect(find(name, "request-body-made-required", "DELETE /conversations/{conversation_id}")).toEqual([]);
    expect(find(name, "response-type-changed", "GET /workflows/run/{workflow_run_id}").map((c) => c.message)).toContain("`result.inputs`: object → null | string");
  });
});
