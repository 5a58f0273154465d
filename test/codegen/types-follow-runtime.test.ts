/**
 * Where types and runtime used to disagree: a `{ query, header, body }` operation
 * with a stream switch was typed `Promise<Result>` yet could return an
 * EventStream, and cookie parameters were dropped (a required one made the
 * operation uncallable). Generated for a small spec, type-checked, then run.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generateClient } from "../../src/codegen/generate.js";
import { writeFiles } from "../../src/codegen/output.js";
import { EventStream } from "../../src/runtime/index.js";
import { projectRoot } from "../e2e/sandbox.js";
import { typeCheck } from "../e2e/typecheck.js";

const dir = join(projectRoot, ".vitest-tmp", `types-follow-runtime-${process.pid}`);

const spec = {
  openapi: "3.0.3",
  info: { title: "Shop", version: "1" },
  servers: [{ url: "https://shop.test/v1" }],
  paths: {
    "/search": {
      post: {
        summary: "Search",
        // `mode` is both a query parameter and a body property: the operation takes { query, body }.
        parameters: [{ name: "mode", in: "query", schema: { type: "string" } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { type: "object", required: ["mode"], properties: { mode: { type: "string" }, response_mode: { type: "string", enum: ["streaming", "blocking"] } } },
            },
          },
        },
        "x-codegen-stream": { property: "response_mode", value: "streaming" },
        responses: {
          "200": {
            description: "hits, or a stream of them",
            content: {
              "application/json": { schema: { type: "object", properties: { hits: { type: "integer" } } } },
              "text/event-stream": { schema: { type: "object", required: ["event"], properties: { event: { type: "string", enum: ["hit"] } } } },
            },
          },
        },
      },
    },
    "/session": {
      get: {
        summary: "Get Session",
        parameters: [
          { name: "session", in: "cookie", required: true, schema: { type: "string" } },
          { name: "theme", in: "cookie", schema: { type: "string" } },
        ],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { user: { type: "string" } } } } } } },
      },
    },
  },
};

const consumer = `import { createShopClient } from "./out/client.js";
import type { EventStream } from "../../src/runtime/index.js";

const client = createShopClient({ apiKey: "k" });
export async function run(): Promise<void> {
  const stream: EventStream<{ event: "hit" }> = await client.search({ query: { mode: "q" }, body: { mode: "b", response_mode: "streaming" } });
  const hits: { hits?: number } = await client.search({ query: { mode: "q" }, body: { mode: "b", response_mode: "blocking" } });
  // @ts-expect-error a blocking call does not resolve with a stream
  const notAStream: EventStream<{ event: "hit" }> = await client.search({ body: { mode: "b" } });
  const either = await client.search({ body: { mode: "b", response_mode: Math.random() > 0.5 ? "streaming" : "blocking" } });
  // @ts-expect-error either a result or a stream: it must be narrowed first
  void either.hits;
  await client.getSession({ session: "s", theme: "dark" });
  // @ts-expect-error the session cookie is required
  await client.getSession({ theme: "dark" });
  void [stream, hits, notAStream];
}
`;

let clientModule: { createShopClient(options: { apiKey: string; fetch: (request: Request) => Promise<Response> }): Record<string, (...args: unknown[]) => Promise<unknown>> };

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "spec.yaml"), stringify(spec));
  const files = await generateClient(projectRoot, { name: "shop", spec: join(dir, "spec.yaml"), names: join(dir, "names.json"), out: join(dir, "out") });
  await writeFiles(projectRoot, files);
  await writeFile(join(dir, "consumer.ts"), consumer);
  clientModule = (await import(pathToFileURL(join(dir, "out", "client.ts")).href)) as typeof clientModule;
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("types follow what the runtime does", () => {
  it("type-checks: a split-params stream switch returns EventStream or the result by response_mode; a required cookie is required", () => {
    expect(typeCheck([join(dir, "consumer.ts")])).toEqual([]);
  });

  it("a split-params operation streams when its body selects streaming", async () => {
    const sent: Request[] = [];
    const client = clientModule.createShopClient({
      apiKey: "k",
      fetch: async (request) => {
        sent.push(request);
        return new Response('data: {"event":"hit"}\n\n', { headers: { "content-type": "text/event-stream" } });
      },
    });
    const stream = await client["search"]!({ query: { mode: "q" }, body: { mode: "b", response_mode: "streaming" } });
    expect(stream).toBeInstanceOf(EventStream);
    expect(sent[0]!.url).toBe("https://shop.test/v1/search?mode=q");
    expect(await sent[0]!.json()).toEqual({ mode: "b", response_mode: "streaming" });
  });

  it("sends cookie parameters in one Cookie header, percent-encoded", async () => {
    const sent: Request[] = [];
    const client = clientModule.createShopClient({
      apiKey: "k",
      fetch: async (request) => {
        sent.push(request);
        return Response.json({ user: "u" });
      },
    });
    expect(await client["getSession"]!({ session: "a b;c", theme: "dark" })).toEqual({ user: "u" });
    expect(sent[0]!.headers.get("cookie")).toBe("session=a%20b%3Bc; theme=dark");
    expect(sent[0]!.url).toBe("https://shop.test/v1/session");
  });
});
