/** Query parameters are serialized per their spec `style`/`explode` (OpenAPI 3 defaults: form, exploded). */
import { describe, expect, it } from "vitest";
import { callOperation, createContext, type OperationSpec, type QueryStyle } from "../../src/runtime/index.js";
import { noContent, recordFetch } from "./fetch-recorder.js";

function operation(queryStyles?: Record<string, QueryStyle>): OperationSpec {
  return { method: "GET", path: "/items", query: ["ids", "filter", "q"], header: [], params: "merged", response: "void", ...(queryStyles && { queryStyles }) };
}

const cases: [string, { styles?: Record<string, QueryStyle>; query: Record<string, unknown>; want: string }][] = [
  ["arrays default to form, exploded", { query: { ids: [1, 2] }, want: "ids=1&ids=2" }],
  ["objects default to form, exploded (not deepObject)", { query: { filter: { a: "1", b: "x y" } }, want: "a=1&b=x%20y" }],
  ["form, not exploded", { styles: { ids: { style: "form", explode: false } }, query: { ids: [1, 2] }, want: "ids=1,2" }],
  ["pipeDelimited", { styles: { ids: { style: "pipeDelimited", explode: false } }, query: { ids: ["a", "b"] }, want: "ids=a|b" }],
  ["spaceDelimited", { styles: { ids: { style: "spaceDelimited", explode: false } }, query: { ids: ["a", "b"] }, want: "ids=a%20b" }],
  ["deepObject", { styles: { filter: { style: "deepObject", explode: true } }, query: { filter: { a: "1" } }, want: "filter[a]=1" }],
  ["primitives are encoded, empty arrays and undefined dropped", { query: { q: "a&b=c", ids: [], filter: undefined }, want: "q=a%26b%3Dc" }],
];

describe("query serialization", () => {
  it.each(cases)("%s", async (_name, { styles, query, want }) => {
    const recorded = recordFetch(noContent());
    const context = createContext({ apiKey: "k", fetch: recorded.fetch, maxRetries: 0 }, { baseUrl: "https://api.test" });
    await callOperation(context, operation(styles), {}, query);
    expect(new URL(recorded.calls[0]!.url).search.slice(1)).toBe(want);
  });
});
