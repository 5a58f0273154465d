/**
 * One side of the comparison, ready to compare: the spec with our overlay
 * applied (so the report speaks of what the client really exposes), its
 * operation model, and the name lock it starts from.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { sha256 } from "../codegen/header.js";
import { buildOperationModel, type OperationModel } from "../codegen/operation-model.js";
import { parseSpec, type SpecDocument } from "../codegen/spec-document.js";
import { GeneratorError } from "../codegen/errors.js";
import { checkRefs } from "../codegen/refs.js";
import { parseMemberships, type Memberships } from "../codegen/memberships.js";
import { applyOverlayLeniently } from "./lenient-overlay.js";
import { readSideSource, readSiblingAtRevision, type SideSource } from "./load-side.js";

export interface SpecSide {
  label: string;
  /** The upstream spec with the overlay applied. */
  spec: SpecDocument;
  operations: OperationModel[];
  /** Overlay actions that did not apply, and where the overlay and lock came from. */
  notes: string[];
  /** The side's name lock, when one was asked for. */
  lock: { file: string; text: string | undefined } | undefined;
  /** Which operations each app type has on this side; undefined for a spec without memberships (every operation counts). */
  memberships: Memberships | undefined;
}

/** A project file; `explicit` when given by flag, so a revision's own copy does not replace it. */
export interface CompanionFile {
  path: string;
  explicit: boolean;
}

export interface SideOptions {
  cwd: string;
  overlay: CompanionFile | undefined;
  /** The name lock (the base's; the head's when it has its own, e.g. the project's spec). */
  names?: CompanionFile | undefined;
  /** The memberships file, for a spec that has one. */
  memberships?: CompanionFile | undefined;
}

export async function loadSide(input: string, options: SideOptions): Promise<SpecSide> {
  const source = await readSideSource(input, options.cwd);
  return sideFromSource(source, options);
}

export async function sideFromSource(source: SideSource, options: SideOptions): Promise<SpecSide> {
  const notes: string[] = [];
  const upstream = parseSpec(source.label, source.text, sha256(source.text));
  let spec = upstream;
  if (options.overlay) {
    const overlayText = await companion(source, options.overlay, options.cwd, notes, "overlay");
    if (overlayText === undefined && options.overlay.explicit) {
      throw new GeneratorError(options.overlay.path, undefined, "cannot read the overlay", "pass an existing OpenAPI Overlay file with --overlay");
    }
    if (overlayText === undefined) notes.push(`overlay: ${options.overlay.path} not found, ${source.label} compared without it`);
    else {
      const overlay = parseSpec(options.overlay.path, overlayText, sha256(overlayText), "overlay");
      const { data, skipped } = applyOverlayLeniently(upstream, overlay);
      spec = { ...upstream, data };
      notes.push(...skipped);
    }
  }
  // A $ref to nothing is an error with its position, as in `npm run generate`.
  checkRefs(spec);
  const lock = options.names && { file: options.names.path, text: await companion(source, options.names, options.cwd, notes, "name lock") };
  const operations = buildOperationModel(spec);
  let memberships: Memberships | undefined;
  if (options.memberships) {
    const text = await companion(source, options.memberships, options.cwd, notes, "memberships");
    if (text === undefined && options.memberships.explicit) {
      throw new GeneratorError(options.memberships.path, undefined, "cannot read the memberships", "pass an existing memberships.json");
    }
    if (text !== undefined) memberships = parseMemberships(options.memberships.path, text, source.label, new Set(operations.map((op) => op.key)));
  }
  return { label: source.label, spec, operations, notes, lock, memberships };
}

/** For a revision side, the overlay or lock of that revision unless a flag chose one; else the working tree's. */
async function companion(source: SideSource, file: CompanionFile, cwd: string, notes: string[], what: string): Promise<string | undefined> {
  if (source.revision && !file.explicit) {
    const atRevision = await readSiblingAtRevision(source.revision, file.path, cwd);
    if (atRevision !== undefined) {
      notes.push(`${what}: ${file.path} as of ${source.revision.rev}`);
      return atRevision;
    }
  }
  return readFile(resolve(cwd, file.path), "utf8").catch(() => undefined);
}
