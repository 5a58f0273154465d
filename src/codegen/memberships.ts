/**
 * Which operations each client exposes: Dify's `memberships.json`
 * (`{ "pages": { "<app type>": { "ops": ["GET /path", …] } } }`), kept verbatim
 * in spec/. Read with positions, so an entry naming an operation the spec
 * lacks is one line at its file:line:col.
 */
import { readFile } from "node:fs/promises";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { GeneratorError, type SourceLocation } from "./errors.js";
import { sha256 } from "./header.js";

export interface Memberships {
  readonly file: string;
  readonly sha256: string;
  /** Client (app type) → operation keys, in the file's order. */
  readonly clients: ReadonlyMap<string, string[]>;
}

/** Reads and checks a memberships file against the spec's operation keys. */
export async function readMemberships(path: string, file: string, specFile: string, operations: readonly { key: string }[]): Promise<Memberships> {
  const text = await readFile(path, "utf8").catch((cause: NodeJS.ErrnoException) => {
    throw new GeneratorError(file, undefined, `cannot read the memberships (${cause.code ?? cause.message})`, "pass the memberships.json that goes with the spec");
  });
  return parseMemberships(file, text, specFile, new Set(operations.map((op) => op.key)));
}

export function parseMemberships(file: string, text: string, specFile: string, known: ReadonlySet<string>): Memberships {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (node: Node | null | undefined): SourceLocation | undefined => {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset);
  };
  const fix = 'write { "pages": { "<client>": { "ops": ["GET /path", …] } } }';
  if (doc.errors[0]) throw new GeneratorError(file, lineCounter.linePos(doc.errors[0].pos[0]), `not valid JSON: ${doc.errors[0].message.split("\n")[0]}`, "correct the syntax");
  const pages = doc.get("pages", true);
  if (!isMap(pages)) throw new GeneratorError(file, { line: 1, col: 1 }, 'no "pages" object', fix);
  const clients = new Map<string, string[]>();
  for (const page of pages.items) {
    const name = isScalar(page.key) ? String(page.key.value) : "";
    const ops = isMap(page.value) ? page.value.get("ops", true) : undefined;
    if (!isSeq(ops)) throw new GeneratorError(file, at(page.key as Node), `client ${JSON.stringify(name)} has no "ops" list`, fix);
    const keys: string[] = [];
    for (const item of ops.items) {
      const key = isScalar(item) && typeof item.value === "string" ? item.value : undefined;
      if (key === undefined) throw new GeneratorError(file, at(item as Node), `an entry of ${name}'s "ops" is not a string`, 'write operations as "METHOD /path"');
      if (!known.has(key)) {
        throw new GeneratorError(file, at(item as Node), `${name} lists ${key}, which ${specFile} does not have`, "the spec and its memberships disagree: update the memberships with the spec revision they belong to, or remove the entry");
      }
      if (!keys.includes(key)) keys.push(key);
    }
    clients.set(name, keys);
  }
  return { file, sha256: sha256(text), clients };
}
