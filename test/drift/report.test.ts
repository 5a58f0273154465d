/**
 * The full report for 2026-03-01 → 2026-03-23, facade surface included
 * (both clients generated in memory and read with the type checker), and its
 * two renderings: the JSON contract and the PR-comment Markdown.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDriftReport, failingFindings, type DriftReport } from "../../src/drift/drift-report.js";
import { renderJson } from "../../src/drift/report-json.js";
import { renderMarkdown } from "../../src/drift/report-markdown.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BASE = "test/fixtures/history/2026-03-01_a1985649_openapi_chatflow.json";
const HEAD = "test/fixtures/history/2026-03-23_21122c42_openapi_chatflow.json";

let report: DriftReport;
beforeAll(async () => {
  report = await buildDriftReport({ cwd: ROOT, base: BASE, head: HEAD, app: "chatflow", overlay: "test/fixtures/history/overlay-2026-03-01.yaml" });
});

describe("facade surface diff", () => {
  const change = (method: string) => report.facade?.find((c) => c.method === method);

  it("shows deleteConversation's params and user becoming optional", () => {
    expect(change("deleteConversation")).toMatchObject({ kind: "changed", details: ["params: required → optional", "params.user: required → optional"] });
    expect(change("deleteConversation")!.after).toEqual(["deleteConversation(conversationId: string, params?: DeleteConversationParams, options?: RequestOptions): Promise<DeleteConversationResult>"]);
  });

  it("spells result types out, down to the member that changed", () => {
    expect(change("uploadFile")!.details).toEqual(expect.arrayContaining(["params.user: required → optional", "result.extension: string → null | string", "result.file_key: added (optional): null | string"]));
    expect(change("listAnnotations")!.details).toContain("result.data[].question: string → null | string");
  });

  it("does not report a $ref'd parameter inlined with the same type", () => {
    // 2026-03-23 inlined components.parameters (PageQueryParam…): the types are the same.
    expect(change("getAppFeedbacks")!.details.filter((d) => d.startsWith("params"))).toEqual([]);
  });

  it("lists the new methods with their signatures and removes none", () => {
    expect(report.facade!.filter((c) => c.kind === "removed")).toEqual([]);
    const added = report.facade!.filter((c) => c.kind === "added");
    expect(added).toHaveLength(3);
    expect(added.every((c) => c.after.length === 1 && c.after[0]!.startsWith(`${c.method}(`))).toBe(true);
  });
});

describe("--format json", () => {
  it("prints { changes: [{ severity, rule, operation, method, pointer, before, after, message }], semver }", () => {
    const json = JSON.parse(renderJson(report)) as { changes: Record<string, unknown>[]; semver: string };
    expect(Object.keys(json).slice(0, 2)).toEqual(["changes", "semver"]);
    expect(json.semver).toBe("major");
    expect(json.changes.length).toBe(report.changes.length);
    for (const c of json.changes) {
      expect(Object.keys(c)).toEqual(["severity", "rule", "operation", "method", "pointer", "before", "after", "message"]);
      expect(["breaking", "non-breaking", "info"]).toContain(c["severity"]);
      expect(c["rule"]).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(c["pointer"]).toMatch(/^(\/[^/]*)*$/);
    }
    expect(json.changes).toContainEqual(
      expect.objectContaining({ severity: "non-breaking", rule: "request-body-made-optional", operation: "DELETE /conversations/{conversation_id}", method: "deleteConversation" }),
    );
  });
});

describe("markdown report", () => {
  let markdown: string;
  beforeAll(() => {
    markdown = renderMarkdown(report);
  });

  it("starts with the sides and a summary line with the semver and counts", () => {
    const count = (severity: string) => report.changes.filter((c) => c.severity === severity).length;
    expect(markdown.split("\n").slice(0, 3)).toEqual([
      `## API drift of the chatflow client: \`${BASE}\` → \`${HEAD}\``,
      "",
      `**Semver: major** · ${count("breaking")} breaking · ${count("non-breaking")} non-breaking · ${count("info")} info`,
    ]);
  });

  it("has breaking, non-breaking, info and facade sections in that order", () => {
    const at = (heading: string) => markdown.indexOf(heading);
    const order = ["### Breaking changes", "### Non-breaking changes", "<summary><strong>Info", "### Facade surface"].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("names the facade method in each table row", () => {
    const breaking = markdown.slice(markdown.indexOf("### Breaking changes"), markdown.indexOf("### Non-breaking changes"));
    expect(breaking).toContain("| `uploadFile` | `POST /files/upload` | `success-status-changed` | `uploadFile` succeeds with 201 now (was 200) |");
    const nonBreaking = markdown.slice(markdown.indexOf("### Non-breaking changes"), markdown.indexOf("<details>"));
    expect(nonBreaking).toContain("| `deleteConversation` | `DELETE /conversations/{conversation_id}` | `request-property-made-optional` | `params.user` is no longer required |");
  });

  it("escapes table cells and fits in a GitHub comment", () => {
    expect(markdown).toContain("null \\| string → string");
    expect(markdown.length).toBeLessThan(65_536);
  });
});

describe("--fail-on", () => {
  it("counts the changes at or above the threshold", () => {
    const count = (severity: string) => report.changes.filter((c) => c.severity === severity).length;
    expect(failingFindings(report, "breaking")).toBe(count("breaking"));
    expect(failingFindings(report, "non-breaking")).toBe(count("breaking") + count("non-breaking"));
    expect(failingFindings(report, "info")).toBe(report.changes.length);
  });

  it("counts broken consumer call sites as breaking findings", () => {
    const none = { ...report, changes: [], consumer: { tsconfig: "tsconfig.json", errors: ["src/app.ts:4: x"], preexisting: 0 } };
    expect(failingFindings(none, "breaking")).toBe(1);
    expect(failingFindings({ ...none, consumer: undefined }, "breaking")).toBe(0);
  });
});
