import { describe, expect, it } from "vitest";
import { GeneratorError } from "../../src/codegen/errors.js";
import { parseNameLock, resolveNames, type LockedOperation } from "../../src/codegen/name-lock.js";

const FILE = "spec/test.names.json";

function op(method: string, path: string, summary?: string, operationId?: string): LockedOperation {
  return { key: `${method} ${path}`, method, path, summary, operationId };
}

/** A lock file as a user would have it: the generator's own output of `names`. */
function lockText(names: Record<string, string>): string {
  return `${JSON.stringify({ names }, null, 2)}\n`;
}

function lockedNames(text: string): Record<string, string> {
  return (JSON.parse(text) as { names: Record<string, string> }).names;
}

const v1 = [
  op("GET", "/pets", "List Pets", "listPets"),
  op("DELETE", "/pets/{pet_id}", "Delete Pet", "deletePet"),
  op("POST", "/tasks/{task_id}/stop", "Stop Task", "stopTask"),
  op("GET", "/tasks/{task_id}", undefined, "getTask"),
];

describe("resolveNames", () => {
  it("derives every name when there is no lock yet", () => {
    const { names, text } = resolveNames(parseNameLock(FILE, undefined), v1);
    expect(Object.fromEntries(names)).toEqual({
      "GET /pets": "listPets",
      "DELETE /pets/{pet_id}": "deletePet",
      "POST /tasks/{task_id}/stop": "stopTask",
      "GET /tasks/{task_id}": "getTask",
    });
    expect(lockedNames(text)).toEqual(Object.fromEntries(names));
  });

  it("keeps locked names when upstream renames operationIds and summaries", () => {
    const first = resolveNames(parseNameLock(FILE, undefined), v1);
    const renamed = [
      op("GET", "/pets", "Get All The Pets", "getAllPetsV2"),
      op("DELETE", "/pets/{pet_id}", "Remove a pet", "removePet"),
      op("POST", "/tasks/{task_id}/stop", undefined, "haltTask"),
      op("GET", "/tasks/{task_id}", "Fetch Task", undefined),
    ];
    const second = resolveNames(parseNameLock(FILE, first.text), renamed);
    expect(second.names).toEqual(first.names);
    expect(second.text).toBe(first.text);
  });

  it("keeps the name across a path parameter rename and re-keys the lock to the new path", () => {
    const lock = parseNameLock(FILE, lockText({ "GET /x/{task_id}": "getRun", "POST /x/{task_id}/stop": "stopRun", "GET /y": "getY" }));
    const { names, text } = resolveNames(lock, [
      op("GET", "/x/{run_id}", "Get Run Details", "getRunDetails"),
      op("POST", "/x/{run_id}/stop", "Stop", undefined),
      op("GET", "/y", "Y", undefined),
    ]);
    expect(Object.fromEntries(names)).toEqual({ "GET /x/{run_id}": "getRun", "POST /x/{run_id}/stop": "stopRun", "GET /y": "getY" });
    expect(lockedNames(text)).toEqual({ "GET /x/{run_id}": "getRun", "POST /x/{run_id}/stop": "stopRun", "GET /y": "getY" });
    expect(text).not.toContain("task_id");
  });

  it("does not match a different method on the renamed path", () => {
    const lock = parseNameLock(FILE, lockText({ "GET /x/{task_id}": "getRun" }));
    const { names } = resolveNames(lock, [op("DELETE", "/x/{run_id}", "Delete Run", undefined)]);
    expect(names.get("DELETE /x/{run_id}")).toBe("deleteRun");
  });

  it("gives a new operation a derived name that never steals a locked one", () => {
    const lock = parseNameLock(FILE, lockText({ "GET /pets": "listPets", "GET /cats": "listPets2" }));
    // The new operation comes first: locked names must still win.
    const { names, text } = resolveNames(lock, [op("GET", "/animals", "List Pets", undefined), op("GET", "/pets", "List Pets", undefined), op("GET", "/cats", "List Cats", undefined)]);
    expect(Object.fromEntries(names)).toEqual({ "GET /animals": "listPets3", "GET /pets": "listPets", "GET /cats": "listPets2" });
    expect(lockedNames(text)).toEqual({ "GET /animals": "listPets3", "GET /cats": "listPets2", "GET /pets": "listPets" });
  });

  it("gives a derived name that would take a reserved (module-level) name a suffix", () => {
    const { names } = resolveNames(parseNameLock(FILE, undefined), [op("POST", "/config", "Create Petstore Config", undefined)], new Set(["createPetstoreConfig"]));
    expect(names.get("POST /config")).toBe("createPetstoreConfig2");
  });

  it("rejects a locked name that takes a reserved (module-level) name, pointing at the lock entry", () => {
    const lock = parseNameLock(FILE, '{\n  "names": {\n    "GET /pets": "createPetstoreClient"\n  }\n}\n');
    const error = catchError(() => resolveNames(lock, [op("GET", "/pets", "List Pets", undefined)], new Set(["createPetstoreClient"])));
    expectOneLineError(error, `${FILE}:3:18`, /"createPetstoreClient" for GET \/pets collides/);
  });

  it("renders deterministic, sorted lock text whatever the operation order", () => {
    const ops = [
      op("POST", "/b", "Create B", undefined),
      op("GET", "/b/{id}", "Get B", undefined),
      op("GET", "/a", "List A", undefined),
      op("DELETE", "/b/{id}", "Delete B", undefined),
      op("GET", "/b", "List B", undefined),
    ];
    const texts = [ops, [...ops].reverse(), [ops[2]!, ops[0]!, ops[4]!, ops[1]!, ops[3]!]].map((list) => resolveNames(parseNameLock(FILE, undefined), list).text);
    expect(new Set(texts).size).toBe(1);
    const text = texts[0]!;
    // Sorted by path, then method.
    expect(Object.keys(lockedNames(text))).toEqual(["GET /a", "GET /b", "POST /b", "DELETE /b/{id}", "GET /b/{id}"]);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "names": {\n    "GET /a": "listA",\n');
    expect(JSON.parse(text)).toHaveProperty("$comment");
    // Reading the rendered lock back changes nothing.
    expect(resolveNames(parseNameLock(FILE, text), ops).text).toBe(text);
  });
});

describe("parseNameLock", () => {
  it("reads no file as an empty lock", () => {
    expect(parseNameLock(FILE, undefined).entries.size).toBe(0);
  });

  it("records each entry's name and the position of its value", () => {
    const lock = parseNameLock(FILE, '{\n  "names": {\n    "GET /a": "getA",\n    "POST /a": "createA"\n  }\n}\n');
    expect(Object.fromEntries(lock.entries)).toEqual({
      "GET /a": { name: "getA", line: 3, col: 15, keyAt: { line: 3, col: 5 }, absent: false },
      "POST /a": { name: "createA", line: 4, col: 16, keyAt: { line: 4, col: 5 }, absent: false },
    });
  });

  interface BadLock {
    given: string;
    /** `file:line:col` the message must start with. */
    where: string;
    problem: RegExp;
  }
  const entry = (value: string) => `{\n  "names": {\n    "GET /a": ${value}\n  }\n}\n`;
  it.each<[string, BadLock]>([
    ["not an identifier", { given: entry('"get-a"'), where: `${FILE}:3:15`, problem: /"get-a" for GET \/a is not a valid method name/ }],
    ["starts with a digit", { given: entry('"2fa"'), where: `${FILE}:3:15`, problem: /"2fa" for GET \/a is not a valid method name/ }],
    ["reserved word delete", { given: entry('"delete"'), where: `${FILE}:3:15`, problem: /"delete" for GET \/a is not a valid method name/ }],
    ["reserved word constructor", { given: entry('"constructor"'), where: `${FILE}:3:15`, problem: /"constructor" .* not a valid method name/ }],
    ["reserved name __proto__", { given: entry('"__proto__"'), where: `${FILE}:3:15`, problem: /"__proto__" .* not a valid method name/ }],
    ["a number", { given: entry("42"), where: `${FILE}:3:15`, problem: /42 for GET \/a is not a valid method name/ }],
    ["null", { given: entry("null"), where: `${FILE}:3:15`, problem: /null for GET \/a is not a valid method name/ }],
    ["empty string", { given: entry('""'), where: `${FILE}:3:15`, problem: /"" for GET \/a is not a valid method name/ }],
    [
      "a name given twice",
      { given: '{\n  "names": {\n    "GET /a": "getA",\n    "GET /b": "getA"\n  }\n}\n', where: `${FILE}:4:15`, problem: /the name "getA" is given to both GET \/a and GET \/b/ },
    ],
    ["invalid JSON: unclosed object", { given: '{\n  "names": {\n    "GET /a": "getA"\n', where: `${FILE}:4:1`, problem: /not valid JSON/ }],
    ["invalid JSON: duplicate key", { given: '{\n  "names": {\n    "GET /a": "getA",\n    "GET /a": "getB"\n  }\n}\n', where: `${FILE}:4:5`, problem: /not valid JSON: Map keys must be unique/ }],
    ["invalid JSON: two documents", { given: '{"names": {}}\n---\n{}\n', where: `${FILE}:2:1`, problem: /not valid JSON/ }],
    ["no names object", { given: '{ "other": {} }\n', where: `${FILE}:1:1`, problem: /no "names" object/ }],
    ["empty file", { given: "", where: `${FILE}:1:1`, problem: /no "names" object/ }],
  ])("%s", (_name, { given, where, problem }) => {
    expectOneLineError(
      catchError(() => parseNameLock(FILE, given)),
      where,
      problem,
    );
  });

  it("an array for names is not a names object", () => {
    expectOneLineError(
      catchError(() => parseNameLock(FILE, '{ "names": [] }\n')),
      `${FILE}:1:1`,
      /no "names" object/,
    );
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a GeneratorError, nothing was thrown");
}

function expectOneLineError(error: unknown, where: string, problem: RegExp): void {
  expect(error).toBeInstanceOf(GeneratorError);
  const { message } = error as GeneratorError;
  expect(message).not.toMatch(/[\r\n]/);
  expect(message.startsWith(`${where}: `), message).toBe(true);
  expect(message).toMatch(problem);
  expect(message).toMatch(/\. Fix: \S/);
}
