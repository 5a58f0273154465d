/**
 * The name lock: a committed JSON file mapping "METHOD /path" to the facade
 * method name. A name, once recorded, never changes when upstream renames an
 * operationId or a summary; editing an entry by hand is how a name is overridden.
 */
import { isMap, LineCounter, parseDocument } from "yaml";
import { GeneratorError } from "./errors.js";
import { deriveMethodName, isValidMethodName, uniqueName, type NamingInput } from "./naming.js";

export interface LockedOperation extends NamingInput {
  /** "DELETE /conversations/{conversation_id}" */
  key: string;
}

interface LockEntry {
  name: string;
  line: number;
  col: number;
}

export interface NameLock {
  readonly file: string;
  readonly entries: ReadonlyMap<string, LockEntry>;
}

const NOTE =
  "Facade method names, keyed by HTTP method + path. Generated once, then frozen: upstream renames of operationIds or summaries do not rename methods. Edit a value to override a name.";

/** Parses lock file text; `undefined` text means the file does not exist yet. */
export function parseNameLock(file: string, text: string | undefined): NameLock {
  const entries = new Map<string, LockEntry>();
  if (text === undefined) return { file, entries };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const fail = (offset: number | undefined, problem: string, fix: string): never => {
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    throw new GeneratorError(file, pos && { line: pos.line, col: pos.col }, problem, fix);
  };
  if (doc.errors[0]) fail(doc.errors[0].pos[0], `not valid JSON: ${doc.errors[0].message.split("\n")[0]}`, "correct the syntax, or delete the file to derive all names again");
  const names = doc.get("names", true) as { items?: { key: { value?: unknown; range?: [number] }; value: { value?: unknown; range?: [number] } | null }[] } | undefined;
  if (!isMap(names)) fail(0, 'no "names" object', 'write { "names": { "GET /path": "methodName" } }');
  const taken = new Map<string, string>();
  for (const item of names!.items!) {
    const key = String(item.key.value);
    const value = item.value?.value;
    const offset = item.value?.range?.[0] ?? item.key.range?.[0];
    if (typeof value !== "string" || !isValidMethodName(value)) {
      fail(offset, `${JSON.stringify(value)} for ${key} is not a valid method name (an identifier that is not a reserved word)`, "use a camelCase identifier such as deleteConversation");
    }
    const previous = taken.get(value as string);
    if (previous !== undefined) {
      fail(offset, `the name ${JSON.stringify(value)} is given to both ${previous} and ${key}`, "give each operation its own name");
    }
    taken.set(value as string, key);
    const pos = lineCounter.linePos(offset ?? 0);
    entries.set(key, { name: value as string, line: pos.line, col: pos.col });
  }
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

export function resolveNames(lock: NameLock, operations: readonly LockedOperation[], reservedNames: ReadonlySet<string> = new Set()): ResolvedNames {
  const byTemplate = new Map<string, string>();
  for (const key of lock.entries.keys()) byTemplate.set(templateKey(key), key);

  const names = new Map<string, string>();
  const taken = new Set<string>(reservedNames);
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
  }
  for (const op of fresh) {
    const name = uniqueName(deriveMethodName(op), taken);
    names.set(op.key, name);
    taken.add(name);
  }
  return { names, text: renderLock(operations, names) };
}

function renderLock(operations: readonly LockedOperation[], names: ReadonlyMap<string, string>): string {
  const sorted = [...operations].sort((a, b) => compare(a.path, b.path) || compare(a.method, b.method));
  const body: Record<string, string> = {};
  for (const op of sorted) body[op.key] = names.get(op.key)!;
  return `${JSON.stringify({ $comment: NOTE, names: body }, null, 2)}\n`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
