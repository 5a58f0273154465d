/** `x-codegen-pagination`: how a list operation's pages follow each other, read and checked from any spec. */
import { describe as group, expect, it } from "vitest";
import { stringify } from "yaml";
import { describe as describeOperation } from "../../src/codegen/emit-operations.js";
import { GeneratorError } from "../../src/codegen/errors.js";
import { buildOperationModel } from "../../src/codegen/operation-model.js";
import { parseSpec } from "../../src/codegen/spec-document.js";

function listSpec(ext: unknown, result: Record<string, unknown> = { $ref: "#/components/schemas/ThingPage" }): string {
  return stringify({
    openapi: "3.0.3",
    info: { title: "Things", version: "1" },
    paths: {
      "/things": {
        get: {
          operationId: "listThings",
          "x-codegen-pagination": ext,
          parameters: [
            { name: "after", in: "query", schema: { type: "string" } },
            { name: "page", in: "query", schema: { type: "integer" } },
          ],
          responses: { "200": { description: "ok", content: { "application/json": { schema: result } } } },
        },
      },
    },
    components: {
      schemas: {
        // allOf, so the properties are found through it.
        ThingPage: {
          allOf: [
            { type: "object", properties: { items: { type: "array", items: { type: "object", properties: { id: { type: "string" } } } } } },
            { type: "object", properties: { more: { type: "boolean" }, pages: { type: "integer" }, label: { type: "string" } } },
          ],
        },
      },
    },
  });
}

const model = (text: string) => buildOperationModel(parseSpec("things.yaml", text, "0"))[0]!;

function problem(ext: unknown, result?: Record<string, unknown>): string {
  try {
    model(listSpec(ext, result));
  } catch (error) {
    expect(error).toBeInstanceOf(GeneratorError);
    return (error as GeneratorError).message;
  }
  return expect.unreachable("expected a GeneratorError");
}

group("x-codegen-pagination", () => {
  it.each([
    ["cursor, from the last item", { style: "cursor", param: "after", items: "items", hasMore: "more" }],
    ["cursor, from the first item's field", { style: "cursor", param: "after", items: "items", cursorFrom: "first", cursorField: "id" }],
    ["page, with the number of pages", { style: "page", param: "page", items: "items", totalPages: "pages" }],
  ])("reads %s", (_name, ext) => {
    expect(model(listSpec(ext)).pagination).toEqual(ext);
  });

  it("emits the descriptor, the item type and a PagePromise return type", () => {
    const op = describeOperation(model(listSpec({ style: "cursor", param: "after", items: "items", hasMore: "more" })), "listThings");
    expect(op.returnType).toBe("$PagePromise<ListThingsResult, ListThingsItem>");
    expect(op.types.find((t) => t.name === "ListThingsItem")?.type).toBe('NonNullable<ListThingsResult["items"]>[number]');
    expect(String(op.fn.statements)).toContain('pagination: { style: "cursor", param: "after", items: "items", hasMore: "more" }');
    expect(String(op.fn.statements)).toContain(", undefined, $paginate)");
  });

  it("leaves other operations an ApiPromise, with no paginator", () => {
    const text = listSpec(undefined).replace(/ {6}x-codegen-pagination: null\n/, "");
    const op = describeOperation(model(text), "listThings");
    expect(op.returnType).toBe("$ApiPromise<ListThingsResult>");
    expect(String(op.fn.statements)).not.toContain("$paginate");
  });

  it.each([
    ["not an object", "cursor", /x-codegen-pagination must be an object/],
    ["an unknown style", { style: "offset", param: "after", items: "items" }, /style must be "cursor" or "page", got "offset"/],
    ["a misspelt property", { style: "cursor", param: "after", items: "items", has_more: "more" }, /unknown property "has_more"/],
    ["a property of the other style", { style: "page", param: "page", items: "items", cursorFrom: "first" }, /cursorFrom applies to style cursor only/],
    ["no items", { style: "cursor", param: "after" }, /needs `param` and `items`/],
    ["a param that is no query parameter", { style: "cursor", param: "last_id", items: "items" }, /param "last_id" is not a query parameter/],
    ["items the result lacks", { style: "cursor", param: "after", items: "data" }, /items "data" is not a property of the operation's result/],
    ["items that are not an array", { style: "cursor", param: "after", items: "label" }, /items "label" is a string property, not an array/],
    ["a hasMore that is not a boolean", { style: "cursor", param: "after", items: "items", hasMore: "label" }, /hasMore "label" is a string property, not a boolean/],
  ])("reports %s in one line naming the file, the position and the fix", (_name, ext, expected) => {
    const message = problem(ext);
    expect(message).toMatch(/^things\.yaml:\d+:\d+: /);
    expect(message).toMatch(expected);
    expect(message).toMatch(/\. Fix: /);
    expect(message).not.toContain("\n");
  });

  it("reports a result that is not a JSON object", () => {
    expect(problem({ style: "page", param: "page", items: "items" }, { type: "array", items: { type: "string" } })).toMatch(/success response is not a JSON object/);
  });
});
