/**
 * A client for an API that is not Dify's: credentials sent as its security
 * schemes say (HTTP bearer and basic, an API key in a header, the query or a
 * cookie, none, alternatives), errors that are `ApiError`s, nothing of Dify in
 * the output or the messages, and an event stream of plain text yielding strings.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generateClient } from "../../src/codegen/generate.js";
import { writeFiles } from "../../src/codegen/output.js";
import { ApiError, NotFoundError } from "../../src/runtime/index.js";
import { projectRoot } from "../e2e/sandbox.js";
import { typeCheck } from "../e2e/typecheck.js";

const dir = join(projectRoot, ".vitest-tmp", `any-api-${process.pid}`);
afterAll(() => rm(dir, { recursive: true, force: true }));

type Scheme = Record<string, unknown>;

function spec(schemes: Record<string, Scheme>, security: Record<string, string[]>[] | undefined) {
  return {
    openapi: "3.0.3",
    info: { title: "Weather", version: "1" },
    servers: [{ url: "https://weather.test/v2" }],
    ...(security && { security }),
    components: { securitySchemes: schemes },
    paths: {
      "/forecast": {
        get: {
          operationId: "getForecast",
          parameters: [{ name: "city", in: "query", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { temp: { type: "number" } } } } } } },
        },
      },
      "/alerts": {
        get: {
          operationId: "streamAlerts",
          responses: { "200": { description: "plain-text events", content: { "text/event-stream": { schema: { type: "string" } } } } },
        },
      },
    },
  };
}

interface Generated {
  files: Map<string, string>;
  client: Record<string, (...args: never[]) => unknown>;
}

async function generate(name: string, document: unknown): Promise<Generated> {
  const at = join(dir, name);
  await mkdir(at, { recursive: true });
  await writeFile(join(at, "spec.yaml"), stringify(document));
  const output = await generateClient(projectRoot, { name: "weather", spec: join(at, "spec.yaml"), names: join(at, "names.json"), out: join(at, "out") });
  await writeFiles(projectRoot, output);
  const client = (await import(pathToFileURL(join(at, "out", "client.ts")).href)) as Generated["client"];
  return { files: new Map(output.map((f) => [f.path.slice(at.length + 1), f.content])), client };
}

type Create = (options: Record<string, unknown>) => { getForecast(params: { city: string }): Promise<unknown> };

async function sentWith(generated: Generated, options: Record<string, unknown>): Promise<Request> {
  const sent: Request[] = [];
  const create = generated.client["createWeatherClient"] as unknown as Create;
  const client = create({ ...options, fetch: async (request: Request) => (sent.push(request), Response.json({ temp: 21 })) });
  expect(await client.getForecast({ city: "Oslo" })).toEqual({ temp: 21 });
  return sent[0]!;
}

describe("credentials as the spec's security schemes say", () => {
  it("HTTP bearer: Authorization: Bearer <apiKey>", async () => {
    const g = await generate("bearer", spec({ token: { type: "http", scheme: "bearer" } }, [{ token: [] }]));
    expect((await sentWith(g, { apiKey: "tok-123456" })).headers.get("authorization")).toBe("Bearer tok-123456");
  });

  it("HTTP basic: username and password, base64 of UTF-8", async () => {
    const g = await generate("basic", spec({ login: { type: "http", scheme: "basic" } }, [{ login: [] }]));
    const request = await sentWith(g, { username: "ana", password: "pässword" });
    expect(request.headers.get("authorization")).toBe(`Basic ${Buffer.from("ana:pässword", "utf8").toString("base64")}`);
    const create = g.client["createWeatherClient"] as unknown as Create;
    expect(() => create({ apiKey: "not-basic" })).toThrow(/username and password are missing: pass createWeatherClient\(\{ username, password \}\)/);
  });

  it("an API key in a header, the query or a cookie", async () => {
    const header = await generate("key-header", spec({ key: { type: "apiKey", in: "header", name: "X-Api-Key" } }, [{ key: [] }]));
    const inHeader = await sentWith(header, { apiKey: "k-header-1" });
    expect(inHeader.headers.get("x-api-key")).toBe("k-header-1");
    expect(inHeader.headers.get("authorization")).toBeNull();

    const query = await generate("key-query", spec({ key: { type: "apiKey", in: "query", name: "appid" } }, [{ key: [] }]));
    expect((await sentWith(query, { apiKey: "k-query-1" })).url).toBe("https://weather.test/v2/forecast?city=Oslo&appid=k-query-1");

    const cookie = await generate("key-cookie", spec({ key: { type: "apiKey", in: "cookie", name: "session" } }, [{ key: [] }]));
    expect((await sentWith(cookie, { apiKey: "k-cookie-1" })).headers.get("cookie")).toBe("session=k-cookie-1");
  });

  it("no security: nothing sent, no key needed", async () => {
    const g = await generate("none", spec({}, undefined));
    const request = await sentWith(g, {});
    expect(request.headers.get("authorization")).toBeNull();
  });

  it("alternatives: the first one the credentials satisfy", async () => {
    const g = await generate("either", spec({ login: { type: "http", scheme: "basic" }, key: { type: "apiKey", in: "header", name: "X-Key" } }, [{ login: [] }, { key: [] }]));
    expect((await sentWith(g, { apiKey: "k-either-1" })).headers.get("x-key")).toBe("k-either-1");
    expect((await sentWith(g, { username: "u", password: "p" })).headers.get("authorization")).toMatch(/^Basic /);
  });

  it("types the options after the schemes: a key where one is needed, none where none is", async () => {
    await generate("types-bearer", spec({ token: { type: "http", scheme: "bearer" } }, [{ token: [] }]));
    await generate("types-basic", spec({ login: { type: "http", scheme: "basic" } }, [{ login: [] }]));
    const consumer = join(dir, "consumer.ts");
    await writeFile(
      consumer,
      [
        'import { createWeatherClient as bearer } from "./types-bearer/out/client.js";',
        'import { createWeatherClient as basic } from "./types-basic/out/client.js";',
        'import { createWeatherClient as none } from "./none/out/client.js";',
        'bearer({ apiKey: "k" });',
        "// @ts-expect-error the bearer token is required",
        "bearer({});",
        'basic({ username: "u", password: "p" });',
        "// @ts-expect-error a password is required with the username",
        'basic({ username: "u" });',
        "none({});",
        "",
      ].join("\n"),
    );
    expect(typeCheck([consumer])).toEqual([]);
  });
});

describe("nothing of Dify", () => {
  it("in the generated files, in errors, in messages", async () => {
    const g = await generate("plain", spec({ token: { type: "http", scheme: "bearer" } }, [{ token: [] }]));
    for (const [file, text] of g.files) expect(text, file).not.toMatch(/dify/i);
    const create = g.client["createWeatherClient"] as unknown as Create;
    const missing = (() => {
      try {
        create({});
      } catch (error) {
        return error as Error;
      }
    })();
    expect(missing?.message).toBe("apiKey is missing or empty: pass createWeatherClient({ apiKey }) the API's key");
    const client = create({ apiKey: "tok-123456", fetch: async () => Response.json({ error: { message: "No such city", type: "not_found" } }, { status: 404 }) });
    const error = await client.getForecast({ city: "Atlantis" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: "not_found", message: "No such city" });
    expect(`${(error as Error).name} ${String(error)}`).not.toMatch(/dify/i);
  });

  it("an event stream of plain text yields each event's data as a string", async () => {
    const g = await generate("text-stream", spec({}, undefined));
    expect(g.files.get("out/client.ts")).toContain("export type StreamAlertsEvent = string;");
    const create = g.client["createWeatherClient"] as unknown as (options: Record<string, unknown>) => { streamAlerts(): Promise<AsyncIterable<unknown>> };
    const client = create({ fetch: async () => new Response("data: storm warning\n\ndata: all clear\n\n", { headers: { "content-type": "text/event-stream" } }) });
    const events: unknown[] = [];
    for await (const event of await client.streamAlerts()) events.push(event);
    expect(events).toEqual(["storm warning", "all clear"]);
  });
});
