/**
 * Multipart uploads and binary answers against the loopback Dify-like server, which
 * parses the form with the Web `Request.formData()`: what the server sees is what a
 * real multipart parser makes of the client's bytes.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  createChatflowClient,
  DifyApiError,
  type ChatflowClient,
  type DeleteConversationResult,
  type SpeechToTextResult,
  type TextToAudioResult,
  type UploadFileResult,
} from "../../src/index.js";
import { AUDIO_BYTES, AUDIO_TYPE, TRANSCRIPT, startDifyLikeServer, type DifyLikeServer, type RecordedRequest } from "../support/dify-like-server.js";

// Bytes a careless encoder would mangle: NUL, invalid UTF-8, CR LF, and a line that looks like a part boundary.
const FILE_BYTES = Uint8Array.from([
  ...new TextEncoder().encode("line 1 — ünïcödé 中文 🙂\r\n--boundary\r\nContent-Disposition: form-data\r\n\r\n"),
  0x00, 0xff, 0xfe, 0x80, 0x0d, 0x0a, 0x2d, 0x2d,
]);

let server: DifyLikeServer;
let client: ChatflowClient;

beforeAll(async () => {
  server = await startDifyLikeServer();
  client = createChatflowClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
});
afterAll(() => server.close());

/** The requests the server received for `route` (`POST /v1/files/upload`) since `from`. */
function received(route: string, from: number): RecordedRequest[] {
  return server.requests.slice(from).filter((request) => `${request.method} ${request.url}` === route);
}

describe("uploadFile", () => {
  it("sends the file's exact bytes, name and type, and the user field, once", async () => {
    const from = server.requests.length;
    const result = await client.uploadFile({ file: new File([FILE_BYTES], "notes.txt", { type: "text/plain" }), user: "u-1" });

    expectTypeOf(result).toEqualTypeOf<UploadFileResult>();
    expect(result).toMatchObject({ name: "notes.txt", size: FILE_BYTES.byteLength, extension: "txt", mime_type: "text/plain" });
    const requests = received("POST /v1/files/upload", from);
    expect(requests).toHaveLength(1);
    const form = requests[0]!.form;
    expect(form?.fields).toEqual({ user: "u-1" });
    expect(form?.files["file"]).toEqual({ name: "notes.txt", type: "text/plain", bytes: FILE_BYTES });
    expect(requests[0]!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(requests[0]!.headers["authorization"]).toBe(`Bearer ${server.apiKey}`);
  });

  it("keeps a non-ASCII file name", async () => {
    const from = server.requests.length;
    await client.uploadFile({ file: new File([FILE_BYTES], "résumé 履歴書.md", { type: "text/markdown" }), user: "u-1" });
    expect(received("POST /v1/files/upload", from)[0]!.form?.files["file"]).toMatchObject({ name: "résumé 履歴書.md", type: "text/markdown" });
  });

  it.each([
    ["a typed Blob", new Blob([FILE_BYTES], { type: "image/png" }), "image/png"],
    // The multipart encoder fills in the type a part without one must have.
    ["an untyped Blob", new Blob([FILE_BYTES]), "application/octet-stream"],
  ])("accepts %s, which has no name: the part is named \"blob\"", async (_what, file, type) => {
    const from = server.requests.length;
    await client.uploadFile({ file, user: "u-2" });
    const form = received("POST /v1/files/upload", from)[0]!.form;
    expect(form?.files["file"]).toEqual({ name: "blob", type, bytes: FILE_BYTES });
    expect(form?.fields).toEqual({ user: "u-2" });
  });
});

describe("speechToText", () => {
  it("uploads the audio as a file part with the user field and resolves with the text", async () => {
    const from = server.requests.length;
    const audio = new File([AUDIO_BYTES], "question.webm", { type: "audio/webm" });
    const result = await client.speechToText({ file: audio, user: "u-3" });

    expectTypeOf(result).toEqualTypeOf<SpeechToTextResult>();
    expect(result).toEqual({ text: TRANSCRIPT });
    const requests = received("POST /v1/audio-to-text", from);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.form).toEqual({ fields: { user: "u-3" }, files: { file: { name: "question.webm", type: "audio/webm", bytes: AUDIO_BYTES } } });
  });
});

describe("textToAudio", () => {
  it("resolves with a Blob of the exact bytes and type, readable as a stream", async () => {
    const from = server.requests.length;
    const audio = await client.textToAudio({ text: "こんにちは", user: "u-4" });

    expectTypeOf(audio).toEqualTypeOf<TextToAudioResult>();
    expectTypeOf(audio).toEqualTypeOf<Blob>();
    expect(audio).toBeInstanceOf(Blob);
    expect(audio.type).toBe(AUDIO_TYPE);
    expect(audio.size).toBe(AUDIO_BYTES.byteLength);
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    const reader = audio.stream().getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
    expect(new Uint8Array(await new Blob(chunks).arrayBuffer())).toEqual(AUDIO_BYTES);

    const requests = received("POST /v1/text-to-audio", from);
    expect(requests).toHaveLength(1);
    expect(JSON.parse(new TextDecoder().decode(requests[0]!.body))).toEqual({ text: "こんにちは", user: "u-4" });
  });
});

describe("deleteConversation", () => {
  it("resolves with undefined on 204, sending the user in the JSON body once", async () => {
    const from = server.requests.length;
    const result = await client.deleteConversation("c-1/ü", { user: "u-5" });

    expectTypeOf(result).toEqualTypeOf<DeleteConversationResult>();
    expect(result).toBeUndefined();
    const requests = received("DELETE /v1/conversations/c-1%2F%C3%BC", from);
    expect(requests).toHaveLength(1);
    expect(JSON.parse(new TextDecoder().decode(requests[0]!.body))).toEqual({ user: "u-5" });
  });
});

describe("the Dify-like server's auth", () => {
  it("answers a wrong key with Dify's 401 envelope, which the client turns into a DifyApiError", async () => {
    const from = server.requests.length;
    const stranger = createChatflowClient({ apiKey: "app-wrong-key", baseUrl: server.baseUrl });
    const error = await stranger.uploadFile({ file: new Blob(["x"]), user: "u" }).then(
      () => expect.unreachable("expected a 401"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DifyApiError);
    expect(error).toMatchObject({ status: 401, code: "unauthorized", message: "Access token is invalid" });
    expect(server.requests.slice(from)).toHaveLength(1);
  });
});
