/**
 * Facade method names for both sides, the way `npm run generate` would give
 * them: the base's names come from its name lock; the head's from the lock the
 * generator would write for the base, so every locked name is kept and only
 * new operations get derived names.
 */
import { parseNameLock, resolveNames } from "../codegen/name-lock.js";
import type { OperationModel } from "../codegen/operation-model.js";

export interface MethodNames {
  base: ReadonlyMap<string, string>;
  head: ReadonlyMap<string, string>;
}

/** `reserved`: the facade's module-level names (emit-client.ts's facadeExportNames), which no method may take. */
export function methodNames(
  reserved: ReadonlySet<string>,
  lock: { file: string; text: string | undefined },
  base: readonly OperationModel[],
  head: readonly OperationModel[],
  /** The head's own lock (the project's, regenerated in the same PR): its entries win. */
  headLock?: { file: string; text: string | undefined },
): MethodNames {
  const original = parseNameLock(lock.file, lock.text);
  const baseNames = resolveNames(original, base, reserved);
  // The base's regenerated lock, keeping entries the lock holds for operations the base lacks
  // (a lock newer than an old base revision already names operations that come back in head).
  const entries: Record<string, string> = {};
  const taken = new Set<string>();
  for (const [key, entry] of original.entries) {
    entries[key] = entry.name;
    taken.add(entry.name);
  }
  for (const [key, name] of baseNames.names) {
    if (entries[key] === undefined && !taken.has(name)) {
      entries[key] = name;
      taken.add(name);
    }
  }
  if (headLock?.text !== undefined) {
    const own = parseNameLock(headLock.file, headLock.text);
    const ownNames = new Set([...own.entries.values()].map((e) => e.name));
    for (const [key, name] of Object.entries(entries)) if (ownNames.has(name) && !own.entries.has(key)) delete entries[key];
    for (const [key, entry] of own.entries) entries[key] = entry.name;
  }
  const headNames = resolveNames(parseNameLock(lock.file, JSON.stringify({ names: entries })), head, reserved);
  return { base: baseNames.names, head: headNames.names };
}

