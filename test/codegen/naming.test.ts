import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { camelCase, deriveMethodName, isValidMethodName, safeIdentifier, uniqueName, type NamingInput } from "../../src/codegen/naming.js";

interface Case<Given, Want> {
  given: Given;
  want: Want;
}

const op = (given: Partial<NamingInput>): NamingInput => ({
  method: "get",
  path: "/things/{id}",
  summary: undefined,
  operationId: undefined,
  ...given,
});

const nineWords = "List every single thing that the user has ever made";

const deriveCases: [string, Case<Partial<NamingInput>, string>][] = [
  // the rule: summary first
  ["summary in camelCase", { given: { method: "delete", path: "/conversations/{conversation_id}", summary: "Delete Conversation", operationId: "deleteAdvancedConversation" }, want: "deleteConversation" }],
  ["summary wins over operationId", { given: { summary: "List Conversations", operationId: "getAdvancedConversationsList" }, want: "listConversations" }],
  ["camelCase inside a summary is split and re-joined", { given: { summary: "getWebApp settings" }, want: "getWebAppSettings" }],
  ["acronyms are lower-cased", { given: { summary: "Get URL Info" }, want: "getUrlInfo" }],
  ["exactly eight words is still a name", { given: { summary: "one two three four five six seven eight", operationId: "short" }, want: "oneTwoThreeFourFiveSixSevenEight" }],
  // fallbacks
  ["no summary: operationId", { given: { operationId: "getUserById" }, want: "getUserById" }],
  ["no summary: snake_case operationId", { given: { operationId: "get_user_by_id" }, want: "getUserById" }],
  ["empty summary: operationId", { given: { summary: "", operationId: "getThing" }, want: "getThing" }],
  ["punctuation-only summary: operationId", { given: { summary: " — ?! … ", operationId: "stopTask" }, want: "stopTask" }],
  ["non-ASCII-only summary: operationId", { given: { summary: "日本語の要約", operationId: "getThing" }, want: "getThing" }],
  ["too-long summary: operationId", { given: { summary: nineWords, operationId: "listThings" }, want: "listThings" }],
  ["too-long summary, no operationId: method + path", { given: { summary: nineWords, method: "get", path: "/users/{user_id}/things" }, want: "getUsersThings" }],
  ["no summary, no operationId: method + literal path segments", { given: { method: "post", path: "/chat-messages/{task_id}/stop" }, want: "postChatMessagesStop" }],
  ["empty operationId: method + path", { given: { operationId: "", method: "put", path: "/apps/annotations/{annotation_id}" }, want: "putAppsAnnotations" }],
  ["root path: the method alone", { given: { method: "get", path: "/" }, want: "get" }],
  // reserved words never come out
  ["summary `Delete`", { given: { method: "delete", summary: "Delete" }, want: "deleteOperation" }],
  ["DELETE on the root path", { given: { method: "delete", path: "/" }, want: "deleteOperation" }],
  ["summary `constructor`", { given: { summary: "constructor" }, want: "constructorOperation" }],
  ["operationId `constructor`", { given: { operationId: "constructor" }, want: "constructorOperation" }],
  ["summary `__proto__` loses its underscores", { given: { summary: "__proto__" }, want: "proto" }],
  ["summary `Class`", { given: { summary: "Class" }, want: "classOperation" }],
  ["summary `to String`", { given: { summary: "to String" }, want: "toStringOperation" }],
  ["summary `New`", { given: { summary: "New" }, want: "newOperation" }],
  ["path `/delete` with DELETE: method + segment is fine", { given: { method: "delete", path: "/delete" }, want: "deleteDelete" }],
  // leading digits get the method in front
  ["summary starting with a digit", { given: { method: "post", summary: "2FA Setup" }, want: "post2FaSetup" }],
  ["operationId starting with a digit", { given: { method: "delete", operationId: "123abc" }, want: "delete123abc" }],
  // a capital after a digit starts a new word: 3 + D
  ["summary `3D Render`", { given: { summary: "3D Render" }, want: "get3DRender" }],
  // punctuation and emoji
  ["emoji and exclamation", { given: { summary: "🚀 Launch Rocket!" }, want: "launchRocket" }],
  ["hyphen and parentheses", { given: { summary: "Get Web-App settings (v2)" }, want: "getWebAppSettingsV2" }],
  ["quotes, dashes, trailing dot", { given: { summary: "Rename 'conversation' — quickly." }, want: "renameConversationQuickly" }],
  ["accents are dropped, not split on", { given: { summary: "Créer une conversation" }, want: "creerUneConversation" }],
];

describe("deriveMethodName", () => {
  for (const [name, { given, want }] of deriveCases) {
    it(name, () => {
      const got = deriveMethodName(op(given));
      expect(got).toBe(want);
      expect(isValidMethodName(got)).toBe(true);
    });
  }

  it("always returns a valid, non-reserved identifier", () => {
    const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    const text = fc.option(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("delete", "constructor", "__proto__", "class", "2fa", "🚀")), { nil: undefined });
    fc.assert(
      fc.property(fc.constantFrom(...methods), fc.array(fc.string(), { maxLength: 4 }), text, text, (method, segments, summary, operationId) => {
        const name = deriveMethodName({ method, path: `/${segments.join("/")}`, summary, operationId });
        expect(isValidMethodName(name), JSON.stringify({ method, segments, summary, operationId, name })).toBe(true);
      }),
    );
  });
});

describe("camelCase", () => {
  it.each<[string, Case<string, string>]>([
    ["words", { given: "Delete Conversation", want: "deleteConversation" }],
    ["snake_case", { given: "task_id", want: "taskId" }],
    ["kebab-case", { given: "chat-messages", want: "chatMessages" }],
    ["leading acronym", { given: "XMLHttpRequest", want: "xmlHttpRequest" }],
    ["extra spaces", { given: "  spaced   out  ", want: "spacedOut" }],
    ["digits stay attached", { given: "v2 API", want: "v2Api" }],
    ["nothing usable", { given: "¿?", want: "" }],
  ])("%s", (_name, { given, want }) => {
    expect(camelCase(given)).toBe(want);
  });
});

describe("safeIdentifier", () => {
  it.each<[string, Case<[candidate: string, fallback: string], string>]>([
    ["valid candidate unchanged", { given: ["deleteConversation", "delete"], want: "deleteConversation" }],
    ["empty candidate: fallback", { given: ["", "get"], want: "get" }],
    ["empty candidate, reserved fallback", { given: ["", "delete"], want: "deleteOperation" }],
    ["leading digit: fallback in front", { given: ["2fa", "post"], want: "post2fa" }],
    ["path parameter with a leading digit", { given: ["1st", "param"], want: "param1st" }],
    ["reserved word", { given: ["class", "get"], want: "classOperation" }],
    ["__proto__", { given: ["__proto__", "get"], want: "__proto__Operation" }],
    ["constructor", { given: ["constructor", "get"], want: "constructorOperation" }],
  ])("%s", (_name, { given: [candidate, fallback], want }) => {
    const got = safeIdentifier(candidate, fallback);
    expect(got).toBe(want);
    expect(isValidMethodName(got)).toBe(true);
  });
});

describe("uniqueName", () => {
  it.each<[string, Case<[name: string, taken: string[]], string>]>([
    ["free name unchanged", { given: ["getPet", []], want: "getPet" }],
    ["taken: suffix 2", { given: ["getPet", ["getPet"]], want: "getPet2" }],
    ["2 taken too: suffix 3", { given: ["getPet", ["getPet", "getPet2"]], want: "getPet3" }],
    ["first free suffix, gaps allowed", { given: ["getPet", ["getPet", "getPet3"]], want: "getPet2" }],
    ["only a suffixed one taken", { given: ["getPet", ["getPet2"]], want: "getPet" }],
  ])("%s", (_name, { given: [name, taken], want }) => {
    expect(uniqueName(name, new Set(taken))).toBe(want);
  });
});

describe("isValidMethodName", () => {
  it.each<[string, Case<string, boolean>]>([
    ["camelCase", { given: "getPet", want: true }],
    ["leading underscore", { given: "_private", want: true }],
    ["dollar", { given: "$x", want: true }],
    ["digits after the first character", { given: "a1", want: true }],
    ["empty", { given: "", want: false }],
    ["leading digit", { given: "1a", want: false }],
    ["hyphen", { given: "get-pet", want: false }],
    ["space", { given: "get pet", want: false }],
    ["non-ASCII letter", { given: "créer", want: false }],
    ["delete", { given: "delete", want: false }],
    ["class", { given: "class", want: false }],
    ["constructor", { given: "constructor", want: false }],
    ["__proto__", { given: "__proto__", want: false }],
    ["prototype", { given: "prototype", want: false }],
    ["toString", { given: "toString", want: false }],
  ])("%s", (_name, { given, want }) => {
    expect(isValidMethodName(given)).toBe(want);
  });
});
