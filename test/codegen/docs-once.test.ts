/**
 * Each operation's doc text appears once in a generated file: on the class
 * method in a one-client `client.ts` (the standalone function links to it),
 * and once, on the first overload, for an operation with a stream switch.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generateClient } from "../../src/codegen/generate.js";
import type { OutputFile } from "../../src/codegen/output.js";
import { projectRoot } from "../e2e/sandbox.js";

const CHAT_DOC = "Sends the user's message; this sentence appears exactly once in the generated facade.";
const PLAIN_DOC = "Lists the things; and this one too.";

let dir: string;
let client: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "docs-once-"));
  await writeFile(
    join(dir, "spec.yaml"),
    stringify({
      openapi: "3.0.3",
      info: { title: "Docs", version: "1" },
      paths: {
        "/chat": {
          post: {
            summary: "Send Chat",
            description: CHAT_DOC,
            "x-codegen-stream": { property: "mode", value: "streaming" },
            requestBody: { required: true, content: { "application/json": { schema: { type: "object", properties: { mode: { type: "string", enum: ["streaming", "blocking"] } } } } } },
            responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } }, "text/event-stream": { schema: { type: "object", properties: { event: { type: "string" } } } } } } },
          },
        },
        "/things": { get: { summary: "List Things", description: PLAIN_DOC, responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "array", items: { type: "string" } } } } } } } },
      },
    }),
  );
  const files: OutputFile[] = await generateClient(projectRoot, { name: "docs", spec: join(dir, "spec.yaml"), names: join(dir, "names.json"), out: join(dir, "out") });
  client = files.find((f) => f.path.endsWith("client.ts"))!.content;
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe("doc comments in client.ts", () => {
  it("hold each operation's text once, for overloaded and plain operations alike", () => {
    expect(occurrences(client, CHAT_DOC)).toBe(1);
    expect(occurrences(client, PLAIN_DOC)).toBe(1);
  });

  it("link the standalone functions to the class methods that carry the text", () => {
    expect(client).toContain("{@link DocsClient.listThings} as a standalone function");
    expect(client).toContain("{@link DocsClient.sendChat} as a standalone function");
  });
});
