/**
 * Fails when a client's operations differ from what the memberships give its
 * app type, when a spec operation is in no client, or when a (client, method)
 * pair has no contract call. The spec and the memberships are walked here with
 * `yaml` and JSON.parse, not through the generator's model, so a generator
 * that drops or invents an operation is caught.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { clientMethodPairs, contractClients, type AppName } from "./clients.js";
import { contractCalls } from "./operation-calls.js";
import { SERVICE_MEMBERSHIPS, SERVICE_SPEC } from "./service-spec.js";

// The HTTP methods a path item can hold (OpenAPI 3.0/3.1); other keys are parameters, summary, servers…
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const spec = parse(readFileSync(SERVICE_SPEC, "utf8"), { maxAliasCount: -1 }) as { paths: Record<string, Record<string, unknown>> };
const specOperations = Object.entries(spec.paths)
  .flatMap(([path, item]) => Object.keys(item).filter((key) => HTTP_METHODS.includes(key)).map((method) => `${method.toUpperCase()} ${path}`))
  .sort();
const memberships = (JSON.parse(readFileSync(SERVICE_MEMBERSHIPS, "utf8")) as { pages: Record<string, { ops: string[] }> }).pages;
const apps = Object.keys(contractClients) as AppName[];

const keysOf = (app: AppName) => Object.values(contractClients[app].operations).map((op) => `${op.method} ${op.path}`);
const sorted = (items: Iterable<string>) => [...items].sort();

describe("operation coverage", () => {
  it("finds an operation under every path of the spec", () => {
    // A guard on the walk itself: an empty or partial read would make the comparisons below vacuous.
    const paths = Object.keys(spec.paths);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !specOperations.some((key) => key.endsWith(` ${path}`)))).toEqual([]);
  });

  it("has one client per app type of the memberships", () => {
    expect(sorted(apps)).toEqual(sorted(Object.keys(memberships)));
  });

  it.each(apps)("gives %s exactly the operations the memberships list for it", (app) => {
    expect(sorted(keysOf(app))).toEqual(sorted(memberships[app]!.ops));
  });

  it("puts every spec operation in some client, and nothing the spec lacks", () => {
    expect(sorted(new Set(apps.flatMap(keysOf)))).toEqual(specOperations);
  });

  it("names each operation the same in every client, one name per operation", () => {
    const byName = new Map<string, Set<string>>();
    const byKey = new Map<string, Set<string>>();
    for (const { method, info } of clientMethodPairs()) {
      const key = `${info.method} ${info.path}`;
      byName.set(method, (byName.get(method) ?? new Set()).add(key));
      byKey.set(key, (byKey.get(key) ?? new Set()).add(method));
    }
    expect([...byName].filter(([, keys]) => keys.size > 1)).toEqual([]);
    expect([...byKey].filter(([, names]) => names.size > 1)).toEqual([]);
    expect(byName.size).toBe(specOperations.length);
  });

  it("has a contract call for every (client, method) pair, and none for a method no client has", () => {
    const pairs = clientMethodPairs();
    const total = Object.values(memberships).reduce((sum, page) => sum + page.ops.length, 0);
    expect(pairs).toHaveLength(total);
    expect(pairs.filter(({ method }) => !Object.hasOwn(contractCalls, method)).map(({ app, method }) => `${app}.${method}`)).toEqual([]);
    expect(sorted(Object.keys(contractCalls))).toEqual(sorted(new Set(pairs.map(({ method }) => method))));
  });
});
