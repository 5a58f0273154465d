import { describe, expect, it } from "vitest";
import { bearerAuthorizer, createAuthorizer, type Security } from "../../src/runtime/auth.js";
import { createContext } from "../../src/runtime/context.js";

const where = { client: "createTestClient", keyHelp: undefined };
const apiKey = "app-SECRET-9f3c1a7b";

describe("bearerAuthorizer, createContext's default", () => {
  it("does what createAuthorizer does for a bearer token alone", () => {
    const security: Security = [[{ type: "bearer" }]];
    const small = bearerAuthorizer(security, { apiKey }, where);
    const general = createAuthorizer(security, { apiKey }, where);
    const sent = (authorizer: typeof small) => {
      const headers = new Headers();
      const query: Record<string, unknown> = {};
      authorizer.apply(headers, query);
      return { headers: [...headers], query };
    };
    expect(sent(small)).toEqual(sent(general));
    expect(sent(small).headers).toEqual([["authorization", `Bearer ${apiKey}`]]);
    const echo = `echo ${apiKey} and ${apiKey.slice(4, 14)}`;
    expect(small.redact(echo)).toBe(general.redact(echo));
    // A missing, empty or header-unsafe key: the same TypeError from both.
    for (const credentials of [{}, { apiKey: " " }, { apiKey: "app-\nkey" }]) {
      const general = thrown(() => createAuthorizer(security, credentials, where));
      expect(general).toBeInstanceOf(TypeError);
      expect(thrown(() => bearerAuthorizer(security, credentials, where))).toEqual(general);
    }
  });

  it("refuses any other security, naming what to pass instead of sending the request unauthenticated", () => {
    const others: Security[] = [[[]], [[{ type: "basic" }]], [[{ type: "apiKey", in: "header", name: "X-Key" }]], [[{ type: "bearer" }], []]];
    for (const security of others) {
      expect(() => bearerAuthorizer(security, { apiKey, username: "u", password: "p" }, where)).toThrow(/pass createAuthorizer/);
      expect(() => createContext({ apiKey }, { baseUrl: "https://api.test", security })).toThrow(/pass createAuthorizer/);
    }
  });

  it("createContext applies any security with the authorizer the defaults pass", () => {
    const context = createContext({ apiKey }, { baseUrl: "https://api.test", security: [[{ type: "apiKey", in: "query", name: "key" }]], authorizer: createAuthorizer });
    const query: Record<string, unknown> = {};
    context.authorize(new Headers(), query);
    expect(query).toEqual({ key: apiKey });
  });
});

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
