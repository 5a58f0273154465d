/**
 * The name lock keeps every name it promised: an operation a revision lacks
 * keeps its name under "absent" and gets it back; a key that matches no
 * operation is reported at its own line; only a missing file is "no lock".
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GeneratorError } from "../../src/codegen/errors.js";
import { parseNameLock, readNameLock, resolveNames, type LockedOperation } from "../../src/codegen/name-lock.js";

const FILE = "spec/test.names.json";

function op(method: string, path: string, summary?: string): LockedOperation {
  return { key: `${method} ${path}`, method, path, summary, operationId: undefined };
}

const listPets = op("GET", "/pets", "List Pets");
const deletePet = op("DELETE", "/pets/{pet_id}", "Delete Pet");
// Same derived name as deletePet: if deletePet's name were forgotten, this one would take it.
const removePet = op("DELETE", "/animals/{id}", "Delete Pet");

function entriesOf(text: string): { names: Record<string, string>; absent?: Record<string, string> } {
  return JSON.parse(text) as { names: Record<string, string>; absent?: Record<string, string> };
}

describe("an operation missing from one revision", () => {
  for (const unmatched of ["keep", "error"] as const) {
    it(`keeps its name reserved under "absent" and gets it back later (unmatched: ${unmatched})`, () => {
      const v1 = resolveNames(parseNameLock(FILE, undefined), [listPets, deletePet]);
      // v2 lacks DELETE /pets/{pet_id}; in "error" mode the user has marked it absent, as the error asks.
      const v1Lock =
        unmatched === "error" ? JSON.stringify({ names: { "GET /pets": "listPets" }, absent: { "DELETE /pets/{pet_id}": "deletePet" } }) : v1.text;
      const v2 = resolveNames(parseNameLock(FILE, v1Lock), [listPets, removePet], new Set(), { unmatched });
      expect(Object.fromEntries(v2.names)).toEqual({ "GET /pets": "listPets", "DELETE /animals/{id}": "deletePet2" });
      expect(entriesOf(v2.text).absent).toEqual({ "DELETE /pets/{pet_id}": "deletePet" });
      expect(JSON.parse(v2.text).$comment).toMatch(/"absent"/);

      const v3 = resolveNames(parseNameLock(FILE, v2.text), [listPets, removePet, deletePet], new Set(), { unmatched });
      expect(v3.names.get("DELETE /pets/{pet_id}")).toBe("deletePet");
      expect(v3.names.get("DELETE /animals/{id}")).toBe("deletePet2");
      expect(entriesOf(v3.text).absent).toBeUndefined();
    });
  }

  it("comes back with its name when its path parameter was renamed meanwhile", () => {
    const lock = parseNameLock(FILE, JSON.stringify({ names: {}, absent: { "DELETE /pets/{pet_id}": "deletePet" } }));
    const { names, text } = resolveNames(lock, [op("DELETE", "/pets/{id}", "Remove")], new Set(), { unmatched: "error" });
    expect(names.get("DELETE /pets/{id}")).toBe("deletePet");
    expect(entriesOf(text).names).toEqual({ "DELETE /pets/{id}": "deletePet" });
    expect(entriesOf(text).absent).toBeUndefined();
  });

  it("keeps absent entries sorted by path, and reading the lock back changes nothing", () => {
    const lock = parseNameLock(FILE, JSON.stringify({ names: { "GET /pets": "listPets" }, absent: { "POST /z": "createZ", "GET /b": "getB", "DELETE /b": "deleteB" } }));
    const { text } = resolveNames(lock, [listPets], new Set(), { unmatched: "error" });
    expect(Object.keys(entriesOf(text).absent!)).toEqual(["DELETE /b", "GET /b", "POST /z"]);
    expect(resolveNames(parseNameLock(FILE, text), [listPets], new Set(), { unmatched: "error" }).text).toBe(text);
  });

  it("a lock without absent operations is written exactly as before (no \"absent\" key)", () => {
    const { text } = resolveNames(parseNameLock(FILE, undefined), [listPets]);
    expect(Object.keys(JSON.parse(text))).toEqual(["$comment", "names"]);
  });
});

describe("a key that matches no operation", () => {
  const mistyped = '{\n  "names": {\n    "GET /pets": "listPets",\n    "DELTE /pets/{pet_id}": "deletePet"\n  }\n}\n';

  it("is an error at the key's line and column (unmatched: error)", () => {
    const error = catchError(() => resolveNames(parseNameLock(FILE, mistyped), [listPets, deletePet], new Set(), { unmatched: "error" }));
    expect(error).toBeInstanceOf(GeneratorError);
    const { message } = error as GeneratorError;
    expect(message.startsWith(`${FILE}:4:5: "DELTE /pets/{pet_id}" matches no operation of the spec. Fix: `), message).toBe(true);
    expect(message).toMatch(/"absent"/);
  });

  it("is kept, not dropped, under \"absent\" (unmatched: keep)", () => {
    const { text } = resolveNames(parseNameLock(FILE, mistyped), [listPets, deletePet], new Set(), { unmatched: "keep" });
    expect(entriesOf(text).absent).toEqual({ "DELTE /pets/{pet_id}": "deletePet" });
    // Its name stays reserved: the real operation gets another one rather than silently taking it.
    expect(entriesOf(text).names["DELETE /pets/{pet_id}"]).toBe("deletePet2");
  });

  it("under \"absent\" is fine in every mode", () => {
    const lock = parseNameLock(FILE, JSON.stringify({ names: { "GET /pets": "listPets" }, absent: { "GET /gone": "getGone" } }));
    for (const unmatched of ["error", "keep", "drop"] as const) {
      expect(entriesOf(resolveNames(lock, [listPets], new Set(), { unmatched }).text).absent).toEqual({ "GET /gone": "getGone" });
    }
  });
});

describe("parseNameLock on \"absent\"", () => {
  it.each<[string, string, string, RegExp]>([
    ["a name taken by a present entry", '{\n  "names": {"GET /a": "getA"},\n  "absent": {"GET /b": "getA"}\n}\n', `${FILE}:3:24`, /the name "getA" is given to both GET \/a and GET \/b/],
    ["a key in both", '{\n  "names": {"GET /a": "getA"},\n  "absent": {"GET /a": "getB"}\n}\n', `${FILE}:3:14`, /GET \/a is listed both in "names" and in "absent"/],
    ["not an object", '{\n  "names": {},\n  "absent": ["GET /a"]\n}\n', `${FILE}:3:13`, /"absent" is not an object/],
    ["an invalid name", '{\n  "names": {},\n  "absent": {"GET /a": "get-a"}\n}\n', `${FILE}:3:24`, /"get-a" for GET \/a is not a valid method name/],
  ])("%s is an error at its position", (_name, text, where, problem) => {
    const error = catchError(() => parseNameLock(FILE, text));
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as Error).message.startsWith(`${where}: `), (error as Error).message).toBe(true);
    expect((error as Error).message).toMatch(problem);
  });
});

describe("readNameLock", () => {
  const temps: string[] = [];
  afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));
  async function dir(): Promise<string> {
    const path = await mkdtemp(join(tmpdir(), "codegen-lock-"));
    temps.push(path);
    return path;
  }

  it("reads a missing file as an empty lock", async () => {
    expect((await readNameLock(join(await dir(), "names.json"), FILE)).entries.size).toBe(0);
  });

  it("reads an existing file", async () => {
    const path = join(await dir(), "names.json");
    await writeFile(path, JSON.stringify({ names: { "GET /pets": "listPets" } }));
    expect((await readNameLock(path, FILE)).entries.get("GET /pets")?.name).toBe("listPets");
  });

  it("reports a folder where the lock should be, rather than deriving every name again", async () => {
    const path = join(await dir(), "names.json");
    await mkdir(path);
    await expect(readNameLock(path, FILE)).rejects.toThrow(new RegExp(`^${FILE.replace(/\./g, "\\.")}: cannot read the name lock \\(EISDIR\\)\\. Fix: `));
  });

  // EACCES cannot be produced reliably (tests may run as root); ENOTDIR is another error that is not ENOENT.
  it("reports a path through a file (ENOTDIR)", async () => {
    const file = join(await dir(), "spec");
    await writeFile(file, "");
    await expect(readNameLock(join(file, "names.json"), FILE)).rejects.toThrow(/cannot read the name lock \(ENOTDIR\)/);
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
