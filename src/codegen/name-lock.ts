/**
 * The name lock: a committed JSON file mapping "METHOD /path" to the facade
 * method name. A name, once recorded, never changes when upstream renames an
 * operationId or a summary; editing an entry by hand is how a name is overridden.
 */
import { readFile } from "node:fs/promises";
import { isMap, isScalar, LineCounter, parseDocument, type Pair } from "yaml";
import { GeneratorError, type SourceLocation } from "./errors.js";
import { deriveMethodName, isValidMethodName, uniqueName, type NamingInput } from "./naming.js";

export interface LockedOperation extends NamingInput {
  /** "DELETE /conversations/{conversation_id}" */
  key: string;
}

interface LockEntry {
  name: string;
  /** Position of the name (the value). */
  line: number;
  col: number;
  /** Position of the key, for an entry that matches no operation. */
  keyAt: SourceLocation;
  /** Listed under "absent": the spec lacked the operation when it was last seen; the name stays reserved. */
  absent: boolean;
}

export interface NameLock {
  readonly file: string;
  readonly entries: ReadonlyMap<string, LockEntry>;
}

const NOTE =
  "Facade method names, keyed by HTTP method + path. Generated once, then frozen: upstream renames of operationIds or summaries do not rename methods. Edit a value to override a name.";
const ABSENT_NOTE = 'Names under "absent" belong to operations the spec does not have now; they stay reserved and come back with the operation.';

/**
 * Reads the lock file at `path` (messages name it `file`). Only a missing
 * file is "no lock yet": any other failure (EACCES, EISDIR, …) is an error,
 * since deriving every name again would rename methods.
 */
export async function readNameLock(path: string, file: string = path): Promise<NameLock> {
  return parseNameLock(file, await readNameLockText(path, file));
}

/** The lock's text; undefined only when the file does not exist (see readNameLock). */
export async function readNameLockText(path: string, file: string = path): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new GeneratorError(file, undefined, `cannot read the name lock (${code ?? String(cause)})`, "make the file readable (its names would otherwise be derived again, renaming methods)");
  }
}

/** Parses lock file text; `undefined` text means the file does not exist yet. */
export function parseNameLock(file: string, text: string | undefined): NameLock {
  const entries = new Map<string, LockEntry>();
  if (text === undefined) return { file, entries };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const position = (offset: number | undefined): SourceLocation | undefined => {
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    return pos && { line: pos.line, col: pos.col };
  };
  const fail = (offset: number | undefined, problem: string, fix: string): never => {
    throw new GeneratorError(file, position(offset), problem, fix);
  };
  if (doc.errors[0]) fail(doc.errors[0].pos[0], `not valid JSON: ${doc.errors[0].message.split("\n")[0]}`, "correct the syntax, or delete the file to derive all names again");
  const names = doc.get("names", true);
  if (!isMap(names)) fail(0, 'no "names" object', 'write { "names": { "GET /path": "methodName" } }');
  const absent = doc.get("absent", true);
  if (absent !== undefined && !isMap(absent)) fail((absent as { range?: [number] }).range?.[0], '"absent" is not an object', 'write { "absent": { "GET /path": "methodName" } }, or delete it');
  const taken = new Map<string, string>();
  const read = (items: readonly Pair[], isAbsent: boolean) => {
    for (const item of items) {
      const keyNode = item.key as { value?: unknown; range?: [number] } | null;
      const valueNode = item.value as { value?: unknown; range?: [number] } | null;
      const key = String(isScalar(keyNode) ? keyNode.value : keyNode);
      const value = isScalar(valueNode) ? valueNode.value : undefined;
      const offset = valueNode?.range?.[0] ?? keyNode?.range?.[0];
      if (typeof value !== "string" || !isValidMethodName(value)) {
        fail(offset, `${JSON.stringify(value ?? null)} for ${key} is not a valid method name (an identifier that is not a reserved word)`, "use a camelCase identifier such as deleteConversation");
      }
      if (entries.has(key)) fail(keyNode?.range?.[0], `${key} is listed both in "names" and in "absent"`, "keep only one of the two entries");
      const previous = taken.get(value as string);
      if (previous !== undefined) {
        fail(offset, `the name ${JSON.stringify(value)} is given to both ${previous} and ${key}`, "give each operation its own name");
      }
      taken.set(value as string, key);
      const pos = lineCounter.linePos(offset ?? 0);
      entries.set(key, { name: value as string, line: pos.line, col: pos.col, keyAt: position(keyNode?.range?.[0] ?? offset ?? 0)!, absent: isAbsent });
    }
  };
  read((names as { items: Pair[] }).items, false);
  if (isMap(absent)) read(absent.items as Pair[], true);
  return { file, entries };
}

/** "GET /a/{id}/b" and "GET /a/{other}/b" are the same operation with a renamed parameter. */
function templateKey(key: string): string {
  return key.replace(/\{[^{}]*\}/g, "{}");
}

export interface ResolvedNames {
  /** Operation key → method name. */
  names: Map<string, string>;
  /** The lock file's new content (deterministic). */
  text: string;
}

export interface ResolveNamesOptions {
  /**
   * What to do with an entry under "names" that matches no operation:
   * - "error": a GeneratorError at the entry's key (a mistyped key, or an
   *   operation the spec dropped: the user moves the entry into "absent" or
   *   deletes it). What `npm run generate` must use;
   * - "keep": move it under "absent", its name reserved;
   * - "drop" (default, the old behaviour the drift report's predictions rely
   *   on): forget it, freeing its name.
   * Entries already under "absent" are kept, their names reserved, in every mode.
   */
  unmatched?: "error" | "keep" | "drop";
}

export function resolveNames(
  lock: NameLock,
  operations: readonly LockedOperation[],
  reservedNames: ReadonlySet<string> = new Set(),
  options: ResolveNamesOptions = {},
): ResolvedNames {
  const byTemplate = new Map<string, string>();
  for (const key of lock.entries.keys()) byTemplate.set(templateKey(key), key);

  const names = new Map<string, string>();
  const taken = new Set<string>(reservedNames);
  const used = new Set<string>();
  // Locked names first, so a new operation can never take an existing method's name.
  const fresh: LockedOperation[] = [];
  for (const op of operations) {
    const lockedKey = lock.entries.has(op.key) ? op.key : byTemplate.get(templateKey(op.key));
    const entry = lockedKey === undefined ? undefined : lock.entries.get(lockedKey);
    if (!entry) {
      fresh.push(op);
      continue;
    }
    if (taken.has(entry.name)) {
      throw new GeneratorError(lock.file, { line: entry.line, col: entry.col }, `the name ${JSON.stringify(entry.name)} for ${op.key} collides with another name of the client`, "choose another name for this entry");
    }
    names.set(op.key, entry.name);
    taken.add(entry.name);
    used.add(lockedKey!);
  }
  // Entries no operation claimed: a promise about a name is never dropped silently.
  const absent = new Map<string, string>();
  for (const [key, entry] of lock.entries) {
    if (used.has(key)) continue;
    if (!entry.absent && (options.unmatched ?? "drop") === "drop") continue;
    if (!entry.absent && options.unmatched === "error") {
      throw new GeneratorError(
        lock.file,
        entry.keyAt,
        `${JSON.stringify(key)} matches no operation of the spec`,
        'correct it to the "METHOD /path" of an operation; if the spec dropped that operation, move the entry into "absent" to keep its name reserved, or delete it',
      );
    }
    absent.set(key, entry.name);
    taken.add(entry.name);
  }
  for (const op of fresh) {
    const name = uniqueName(deriveMethodName(op), taken);
    names.set(op.key, name);
    taken.add(name);
  }
  return { names, text: renderLock(operations, names, absent) };
}

function renderLock(operations: readonly LockedOperation[], names: ReadonlyMap<string, string>, absent: ReadonlyMap<string, string>): string {
  const sorted = [...operations].sort((a, b) => compare(a.path, b.path) || compare(a.method, b.method));
  const body: Record<string, string> = {};
  for (const op of sorted) body[op.key] = names.get(op.key)!;
  if (absent.size === 0) return `${JSON.stringify({ $comment: NOTE, names: body }, null, 2)}\n`;
  const gone: Record<string, string> = {};
  for (const key of [...absent.keys()].sort((a, b) => compare(pathOf(a), pathOf(b)) || compare(a, b))) gone[key] = absent.get(key)!;
  return `${JSON.stringify({ $comment: `${NOTE} ${ABSENT_NOTE}`, names: body, absent: gone }, null, 2)}\n`;
}

/** "GET /a" → "/a": the lock lists by path, then method. */
function pathOf(key: string): string {
  const space = key.indexOf(" ");
  return space === -1 ? key : key.slice(space + 1);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
