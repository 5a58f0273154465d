/**
 * Method names in the report are the ones `npm run generate` would give:
 * locked names survive renamed summaries and path parameters, new operations
 * get derived names.
 */
import { describe, expect, it } from "vitest";
import { facadeExportNames } from "../../src/codegen/emit-client.js";
import { buildOperationModel } from "../../src/codegen/operation-model.js";
import { parseSpec } from "../../src/codegen/spec-document.js";
import { methodNames } from "../../src/drift/method-names.js";
import { doc, json, pathParam, type Json } from "./spec-builders.js";

const operations = (paths: Json) => buildOperationModel(parseSpec("spec.json", JSON.stringify(doc(paths)), "0"));
const op = (summary: string, ...params: string[]) => ({ summary, parameters: params.map(pathParam), responses: json({ type: "string" }) });
const reserved = new Set(facadeExportNames("chatflow"));
const lock = (names: Record<string, string>) => ({ file: "names.json", text: JSON.stringify({ names }) });

describe("method names", () => {
  it("keep locked names in head, through a summary and a path parameter rename", () => {
    const base = operations({ "/workflow/{task_id}/events": { get: op("Stream Events", "task_id") } });
    const head = operations({ "/workflow/{workflow_run_id}/events": { get: op("Stream Workflow Run Events", "workflow_run_id") }, "/workflows/logs": { get: op("List Workflow Logs") } });
    const names = methodNames(reserved, lock({ "GET /workflow/{task_id}/events": "streamEvents" }), base, head);
    expect([...names.head]).toEqual([
      ["GET /workflow/{workflow_run_id}/events", "streamEvents"],
      ["GET /workflows/logs", "listWorkflowLogs"],
    ]);
  });

  it("use a lock newer than the base for operations the base lacks", () => {
    const base = operations({ "/info": { get: op("Get Info") } });
    const head = operations({ "/info": { get: op("Get Info") }, "/site": { get: op("Get Application WebApp Settings") } });
    const names = methodNames(reserved, lock({ "GET /info": "getAppInfo", "GET /site": "getWebAppSettings" }), base, head);
    expect(names.base.get("GET /info")).toBe("getAppInfo");
    expect(names.head.get("GET /site")).toBe("getWebAppSettings");
  });
});
