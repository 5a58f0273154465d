/** `x-codegen-stream`: which request property makes an operation answer with an event stream. */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { GeneratorError } from "../../src/codegen/errors.js";
import { buildOperationModel } from "../../src/codegen/operation-model.js";
import { parseSpec } from "../../src/codegen/spec-document.js";

function chatSpec(modeSchema: Record<string, unknown> | undefined, ext: unknown): string {
  return stringify({
    openapi: "3.0.3",
    info: { title: "Chat", version: "1" },
    paths: {
      "/chat": {
        post: {
          summary: "Chat",
          "x-codegen-stream": ext,
          requestBody: {
            required: true,
            content: {
              // The facade sends JSON; the form variant must not be the one read.
              "application/x-www-form-urlencoded": { schema: { type: "object", properties: { mode: { type: "string", default: "never" } } } },
              "application/json": {
                schema: {
                  allOf: [
                    { type: "object", required: ["query"], properties: { query: { type: "string" } } },
                    { type: "object", properties: modeSchema ? { mode: modeSchema } : {} },
                  ],
                },
              },
            },
          },
          responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } }, "text/event-stream": { schema: { type: "string" } } } } },
        },
      },
    },
  });
}

const model = (text: string) => buildOperationModel(parseSpec("chat.yaml", text, "0"))[0]!;

describe("x-codegen-stream", () => {
  it.each([
    ["streams by default when the property's default is the streaming value", { type: "string", default: "stream" }, true],
    ["does not stream by default without a default", { type: "string" }, false],
    ["does not stream by default when the default is another value", { type: "string", default: "block" }, false],
  ])("%s (read from the JSON body, through allOf)", (_name, modeSchema, byDefault) => {
    const { stream } = model(chatSpec(modeSchema, { property: "mode", value: "stream" }));
    expect(stream).toMatchObject({ property: "mode", value: "stream", byDefault, mediaType: "text/event-stream" });
  });

  it.each([
    ["a property the body lacks", undefined, { property: "mode", value: "stream" }, /names "mode", which is not a property of the request body/],
    ["no value", { type: "string" }, { property: "mode" }, /needs a string `property` and `value`/],
  ])("reports %s with its position", (_name, modeSchema, ext, problem) => {
    const error = (() => {
      try {
        model(chatSpec(modeSchema, ext));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as GeneratorError).message).toMatch(/^chat\.yaml:\d+:\d+: /);
    expect((error as GeneratorError).message).toMatch(problem);
  });
});
