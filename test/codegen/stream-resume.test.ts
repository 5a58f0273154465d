/** `x-codegen-stream-resume`: which operation continues a dropped stream, checked against the spec. */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { describe as describeOperation } from "../../src/codegen/emit-operations.js";
import { GeneratorError } from "../../src/codegen/errors.js";
import { buildOperationModel } from "../../src/codegen/operation-model.js";
import { parseSpec } from "../../src/codegen/spec-document.js";

const sse = { "text/event-stream": { schema: { type: "object", properties: { event: { type: "string" }, run_id: { type: "string" } } } } };

function runSpec(ext: unknown, overrides: { terminal?: unknown; eventsPath?: string; eventsQuery?: unknown[] } = {}): string {
  return stringify({
    openapi: "3.0.3",
    info: { title: "Runs", version: "1" },
    paths: {
      "/runs": {
        post: {
          operationId: "startRun",
          "x-codegen-stream": { property: "mode", value: "stream" },
          ...(overrides.terminal === null ? {} : { "x-codegen-terminal-events": overrides.terminal ?? ["run_finished"] }),
          "x-codegen-stream-resume": ext,
          requestBody: {
            required: true,
            content: { "application/json": { schema: { type: "object", properties: { mode: { type: "string" }, owner: { type: "string" }, input: { type: "string" } } } } },
          },
          responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } }, ...sse } } },
        },
      },
      [overrides.eventsPath ?? "/runs/{run_id}/events"]: {
        get: {
          operationId: "runEvents",
          "x-codegen-terminal-events": ["run_finished", "run_failed"],
          parameters: overrides.eventsQuery ?? [{ name: "owner", in: "query", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "ok", content: sse } },
        },
      },
      "/runs/{run_id}": {
        get: { operationId: "getRun", responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } } } },
      },
    },
  });
}

const models = (text: string) => buildOperationModel(parseSpec("runs.yaml", text, "0"));
const valid = { operationId: "runEvents", runId: "run_id", query: ["owner"] };

describe("x-codegen-stream-resume", () => {
  it("names the resume operation, its path parameter, the run id's event property and the values it sends again", () => {
    const start = models(runSpec(valid)).find((m) => m.operationId === "startRun")!;
    expect(start.resume).toEqual({ method: "GET", path: "/runs/{run_id}/events", pathParam: "run_id", runId: "run_id", query: ["owner"], terminalEvents: ["run_finished", "run_failed"] });
  });

  it("is emitted as the runtime's resume descriptor, and the facade passes the resuming opener", () => {
    const start = models(runSpec(valid)).find((m) => m.operationId === "startRun")!;
    const described = describeOperation(start, "startRun");
    const call = String(described.fn.statements);
    expect(call).toContain('resume: { method: "GET", path: "/runs/{run_id}/events", pathParam: "run_id", runId: "run_id", query: ["owner"], terminalEvents: ["run_finished", "run_failed"] } }');
    expect(call).toMatch(/\$openResumableEventStream\) as/);
    // Emitted beside it, the resume operation's method and path come from its info (written once per file).
    const beside = String(describeOperation(start, "startRun", { names: new Map([["GET /runs/{run_id}/events", "streamRunEvents"]]) }).fn.statements);
    expect(beside).toContain('resume: { ...$streamRunEvents, pathParam: "run_id", runId: "run_id", query: ["owner"], terminalEvents: ["run_finished", "run_failed"] } }');
    expect(described.overloads[0]!.parameters.at(-1)!.type).toBe("$RequestOptions & $StreamOptions & $ResumeOptions");
  });

  it.each([
    ["no operationId", { runId: "run_id" }, {}, /needs a string `operationId` and `runId`/],
    ["an unknown operationId", { ...valid, operationId: "nope" }, {}, /names operationId "nope", which no operation has/],
    ["a resume operation that does not stream", { ...valid, operationId: "getRun", query: [] }, {}, /GET \/runs\/\{run_id\} does not always answer with an event stream/],
    ["a value the resume operation does not take", { ...valid, query: ["owner", "input2"] }, {}, /sends "input2", which is not a query parameter of GET \/runs\/\{run_id\}\/events/],
    ["a value the original request lacks", { ...valid, query: ["owner", "since"] }, { eventsQuery: [{ name: "owner", in: "query", required: true }, { name: "since", in: "query" }] }, /sends "since", which POST \/runs does not take/],
    ["a required query parameter left out", { ...valid, query: [] }, {}, /requires query parameter "owner", which x-codegen-stream-resume does not send/],
    ["no terminal events", valid, { terminal: null }, /needs x-codegen-terminal-events on the same operation/],
    ["a resume path without one path parameter", valid, { eventsPath: "/events" }, /must take the run id as its only path parameter/],
  ])("reports %s on one line, with its position and the fix", (_name, ext, overrides, problem) => {
    let error: unknown;
    try {
      models(runSpec(ext, overrides));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GeneratorError);
    const message = (error as GeneratorError).message;
    expect(message).toMatch(/^runs\.yaml:\d+:\d+: /);
    expect(message).toMatch(problem);
    expect(message).toContain(". Fix: ");
    expect(message).not.toContain("\n");
  });
});
