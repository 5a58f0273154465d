/**
 * Each body kind goes out with the spec's media type and the right encoding; the
 * loopback echo server records the raw bytes and parses them as a server would.
 */
import { afterEach, describe, expect, it } from "vitest";
import { binaryBody, callOperation, createContext, formBody, multipartBody, textBody, type BodyEncoder, type BodyEncoding, type OperationSpec } from "../../src/runtime/index.js";
import { startEchoServer, type EchoServer } from "../support/echo-server.js";
import { recordSleeps } from "./fetch-recorder.js";

const apiKey = "app-test-SECRET-e81f30";
let server: EchoServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// What the generator passes with each kind (JSON is the call path's own).
const ENCODERS: Partial<Record<BodyEncoding, BodyEncoder>> = { text: textBody, form: formBody, multipart: multipartBody, binary: binaryBody };

function operation(body: BodyEncoding, bodyMediaType?: string, method: OperationSpec["method"] = "POST"): OperationSpec {
  const encodeBody = ENCODERS[body];
  return { method, path: "/things", query: [], header: [], body, ...(encodeBody && { encodeBody }), ...(bodyMediaType ? { bodyMediaType } : {}), params: "split", response: "void" };
}

async function send(spec: OperationSpec, body: unknown) {
  server ??= await startEchoServer();
  const context = { ...createContext({ apiKey, baseUrl: server.baseUrl }, { baseUrl: server.baseUrl }), timing: recordSleeps().timing };
  await callOperation(context, spec, {}, { body });
  const received = server.requests.at(-1)!;
  return { contentType: received.headers["content-type"], text: new TextDecoder().decode(received.body), bytes: received.body };
}

describe("the spec's media type is the Content-Type", () => {
  it("application/merge-patch+json: a JSON body with that type (was application/json)", async () => {
    const { contentType, text } = await send(operation("json", "application/merge-patch+json"), { name: "x", tags: null });
    expect(contentType).toBe("application/merge-patch+json");
    expect(JSON.parse(text)).toEqual({ name: "x", tags: null });
  });

  it("application/xml: the text as is, with that type (was application/octet-stream)", async () => {
    const { contentType, text } = await send(operation("text", "application/xml"), "<thing id='1'/>");
    expect(contentType).toBe("application/xml");
    expect(text).toBe("<thing id='1'/>");
  });

  it("text/csv: with that type (was text/plain)", async () => {
    const { contentType, text } = await send(operation("text", "text/csv"), "a,b\n1,2\n");
    expect(contentType).toBe("text/csv");
    expect(text).toBe("a,b\n1,2\n");
  });

  it("without a media type, each encoding keeps its usual one", async () => {
    expect((await send(operation("json"), { a: 1 })).contentType).toBe("application/json");
    expect((await send(operation("text"), "t")).contentType).toBe("text/plain");
    expect((await send(operation("binary"), new Uint8Array([1]))).contentType).toBe("application/octet-stream");
  });
});

describe("form bodies (application/x-www-form-urlencoded)", () => {
  it("leave undefined and null out and repeat arrays (was 'undefined' and 'a,b')", async () => {
    const { contentType, text } = await send(operation("form", "application/x-www-form-urlencoded"), { tag: ["a", "b"], skipped: undefined, gone: null, n: 1, q: "x y&z" });
    expect(contentType).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(text);
    expect(form.getAll("tag")).toEqual(["a", "b"]);
    expect(form.has("skipped")).toBe(false);
    expect(form.has("gone")).toBe(false);
    expect(form.get("n")).toBe("1");
    expect(form.get("q")).toBe("x y&z");
  });
});

describe("binary bodies pass through, byte for byte (were JSON.stringify'd)", () => {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
  const stream = () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 100));
        controller.enqueue(bytes.subarray(100));
        controller.close();
      },
    });

  it.each([
    ["a Uint8Array", () => bytes],
    ["an ArrayBuffer", () => bytes.slice().buffer],
    ["a DataView", () => new DataView(bytes.slice().buffer)],
    ["a Blob", () => new Blob([bytes])],
    ["a ReadableStream", stream],
  ])("%s", async (_name, body) => {
    const received = await send(operation("binary", "application/pdf"), body());
    expect(received.contentType).toBe("application/pdf");
    expect(received.bytes).toEqual(bytes);
  });

  it("a wildcard media type (image/*) falls back to the Blob's own type", async () => {
    const received = await send(operation("binary", "image/*"), new Blob([bytes], { type: "image/png" }));
    expect(received.contentType).toBe("image/png");
  });

  it("a ReadableStream body is sent at most once, even where a retry would be allowed (PUT answered 503)", async () => {
    server = await startEchoServer((_request, res) => void res.writeHead(503, { "Content-Type": "application/json" }).end("{}"));
    const context = { ...createContext({ apiKey, baseUrl: server.baseUrl, maxRetries: 3 }, { baseUrl: server.baseUrl }), timing: recordSleeps().timing };
    await expect(callOperation(context, operation("binary", undefined, "PUT"), {}, { body: stream() })).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toEqual(bytes);
  });

  it("the same PUT with a Uint8Array is retried (the bytes can be sent again)", async () => {
    server = await startEchoServer((_request, res) => void res.writeHead(503, { "Content-Type": "application/json" }).end("{}"));
    const context = { ...createContext({ apiKey, baseUrl: server.baseUrl, maxRetries: 2 }, { baseUrl: server.baseUrl }), timing: recordSleeps().timing };
    await expect(callOperation(context, operation("binary", undefined, "PUT"), {}, { body: bytes })).rejects.toMatchObject({ status: 503 });
    expect(server.requests.map((r) => r.body)).toEqual([bytes, bytes, bytes]);
  });
});

describe("multipart bodies", () => {
  it("let FormData set the type and its boundary, whatever the spec's media type says", async () => {
    const received = await send(operation("multipart", "multipart/form-data"), { user: "u", file: new File([new Uint8Array([7])], "a.bin") });
    expect(received.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Request("http://x", { method: "POST", headers: { "content-type": received.contentType! }, body: received.bytes }).formData();
    expect(form.get("user")).toBe("u");
    expect((form.get("file") as File).name).toBe("a.bin");
  });
});

describe("a descriptor without its encoder", () => {
  it("is refused before anything is sent, naming the operation (the generator always passes one)", async () => {
    const context = createContext({ apiKey, fetch: () => Promise.reject(new Error("must not be called")) }, { baseUrl: "https://api.example.test" });
    const spec: OperationSpec = { method: "POST", path: "/things", query: [], header: [], body: "text", params: "split", response: "void" };
    await expect(callOperation(context, spec, {}, { body: "t" })).rejects.toThrow("POST /things: the facade passed no text body helper (regenerate the client)");
  });
});
