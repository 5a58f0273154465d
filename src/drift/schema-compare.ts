/**
 * Structural comparison of two JSON Schemas (OpenAPI 3.0/3.1 flavour) as a
 * TypeScript caller sees them through openapi-typescript's output: `integer`
 * and `number` are both `number`, `format: binary` is `Blob`, `nullable` adds
 * `null`, `allOf` parts merge into one object. `$ref`s are followed on both
 * sides; a pair of schemas already compared is not compared again, which also
 * ends recursive schemas.
 */
import { isObject, resolve, type KeyPath } from "../codegen/refs.js";
import type { SpecDocument } from "../codegen/spec-document.js";
import type { Emit, Where } from "./change.js";

export type Direction = "request" | "response";

/** A schema as written at `at` in `spec` (possibly a `$ref`). */
export interface SchemaRef {
  spec: SpecDocument;
  value: unknown;
  at: KeyPath;
}

export interface CompareContext {
  /** Who writes the value: the caller (request) or the server (response). */
  direction: Direction;
  emit: Emit;
  /** Schema pairs already compared for this operation and direction. */
  seen: Set<string>;
}

/** A schema reduced to what decides the caller's TypeScript type. */
export interface Shape {
  /** Where the resolved schema lives. */
  at: KeyPath;
  /** Value types as TypeScript sees them; undefined means any value. */
  types: Set<string> | undefined;
  /** The schema has no `type`; `types` was inferred from its structure (a union member that only adds constraints). */
  typesInferred: boolean;
  enumValues: unknown[] | undefined;
  properties: Map<string, SchemaRef>;
  required: Set<string>;
  items: SchemaRef | undefined;
  /** The schema of `additionalProperties` (a map's values). */
  additional: SchemaRef | undefined;
  /** `oneOf`/`anyOf` members. */
  variants: SchemaRef[] | undefined;
  description: string | undefined;
  /** The `default` keyword, JSON-encoded; undefined without one. */
  defaultValue: string | undefined;
}

export function shapeOf(ref: SchemaRef, seen: Set<string> = new Set()): Shape {
  const { value, at } = resolve(ref.spec, ref.value, ref.at);
  const shape: Shape = { at, types: undefined, typesInferred: false, enumValues: undefined, properties: new Map(), required: new Set(), items: undefined, additional: undefined, variants: undefined, description: undefined, defaultValue: undefined };
  const id = at.join("\u0000");
  if (!isObject(value) || seen.has(id)) return shape;
  seen.add(id);
  const child = (key: KeyPath, v: unknown): SchemaRef => ({ spec: ref.spec, value: v, at: [...at, ...key] });

  if (typeof value["description"] === "string") shape.description = value["description"];
  if ("default" in value) shape.defaultValue = JSON.stringify(value["default"]);
  shape.types = typesOf(value);
  if (Array.isArray(value["enum"])) shape.enumValues = value["enum"];
  else if ("const" in value) shape.enumValues = [value["const"]];
  if (isObject(value["properties"])) {
    for (const [name, v] of Object.entries(value["properties"])) shape.properties.set(name, child(["properties", name], v));
  }
  if (Array.isArray(value["required"])) value["required"].forEach((r) => typeof r === "string" && shape.required.add(r));
  if (value["items"] !== undefined) shape.items = child(["items"], value["items"]);
  if (isObject(value["additionalProperties"])) shape.additional = child(["additionalProperties"], value["additionalProperties"]);
  const union = Array.isArray(value["oneOf"]) ? "oneOf" : Array.isArray(value["anyOf"]) ? "anyOf" : undefined;
  if (union) shape.variants = (value[union] as unknown[]).map((v, i) => child([union, i], v));

  if (Array.isArray(value["allOf"])) {
    value["allOf"].forEach((part, i) => mergeInto(shape, shapeOf(child(["allOf", i], part), seen)));
  }
  if (shape.types === undefined) {
    // Untyped schemas with structure are what openapi-typescript types them as.
    shape.typesInferred = true;
    if (shape.properties.size > 0 || shape.additional) shape.types = new Set(["object"]);
    else if (shape.items) shape.types = new Set(["array"]);
    else if (shape.enumValues) shape.types = new Set(shape.enumValues.map((v) => (v === null ? "null" : typeof v)));
  }
  return shape;
}

function typesOf(schema: Record<string, unknown>): Set<string> | undefined {
  const raw = Array.isArray(schema["type"]) ? schema["type"] : typeof schema["type"] === "string" ? [schema["type"]] : [];
  const types = new Set(
    raw.map((t) => (t === "integer" ? "number" : t === "string" && schema["format"] === "binary" ? "Blob" : String(t))),
  );
  if (types.size === 0) return undefined;
  if (schema["nullable"] === true) types.add("null");
  return types;
}

function mergeInto(shape: Shape, part: Shape): void {
  if (part.types) shape.types = shape.types ? new Set([...shape.types].filter((t) => part.types!.has(t))) : part.types;
  shape.enumValues ??= part.enumValues;
  for (const [name, ref] of part.properties) if (!shape.properties.has(name)) shape.properties.set(name, ref);
  part.required.forEach((r) => shape.required.add(r));
  shape.items ??= part.items;
  shape.additional ??= part.additional;
  shape.variants ??= part.variants;
}

export function compareSchemas(ctx: CompareContext, base: SchemaRef, head: SchemaRef, subject: string): void {
  const b = shapeOf(base);
  const h = shapeOf(head);
  const pair = `${b.at.join("\u0000")}|${h.at.join("\u0000")}`;
  if (ctx.seen.has(pair)) return;
  ctx.seen.add(pair);
  const where: Where = { base: b.at, head: h.at };
  const request = ctx.direction === "request";

  if ((b.description ?? "") !== (h.description ?? "")) {
    ctx.emit("description-changed", { base: [...b.at, "description"], head: [...h.at, "description"] }, b.description, h.description, `\`${subject}\`: description changed`);
  }

  // The caller who omits a request value gets the server's default: a new default is new behaviour.
  if (request && b.defaultValue !== h.defaultValue) {
    const now = h.defaultValue === undefined ? "has no default now" : `defaults to ${h.defaultValue} now`;
    const was = b.defaultValue === undefined ? "none" : b.defaultValue;
    const value = (v: string | undefined): unknown => (v === undefined ? null : JSON.parse(v));
    ctx.emit("request-default-changed", { base: b.at, head: h.at }, value(b.defaultValue), value(h.defaultValue), `\`${subject}\` ${now} (was ${was})`);
  }
  if (!compareTypes(ctx, b, h, where, subject)) return;
  if (b.variants && h.variants) compareVariants(ctx, b, h, subject);
  compareEnums(ctx, b, h, where, subject);

  for (const [name, bp] of b.properties) {
    const hp = h.properties.get(name);
    const sub = `${subject}.${name}`;
    if (!hp) {
      // A request map still accepts the key; a name still listed as required is still there.
      if ((request && h.additional) || h.required.has(name)) continue;
      ctx.emit(request ? "request-property-removed" : "response-property-removed", { base: bp.at }, name, null, `\`${sub}\` removed`);
      continue;
    }
    compareRequired(ctx, { base: bp.at, head: hp.at }, sub, "property", b.required.has(name), h.required.has(name));
    compareSchemas(ctx, bp, hp, sub);
  }
  for (const [name, hp] of h.properties) {
    // A name the base only listed as required existed already, with no schema to compare.
    if (b.properties.has(name) || b.required.has(name)) continue;
    const sub = `${subject}.${name}`;
    if (!request) ctx.emit("response-property-added", { head: hp.at }, null, name, `\`${sub}\` added`);
    else if (h.required.has(name)) ctx.emit("request-property-added-required", { head: hp.at }, null, name, `\`${sub}\` added as required`);
    else ctx.emit("request-property-added-optional", { head: hp.at }, null, name, `\`${sub}\` added (optional)`);
  }
  if (b.items && h.items) compareSchemas(ctx, b.items, h.items, `${subject}[]`);
  if (b.additional && h.additional) compareSchemas(ctx, b.additional, h.additional, `${subject}[key]`);
}

/** Reports a requiredness change of a property or parameter in the direction's terms. */
export function compareRequired(ctx: CompareContext, where: Where, subject: string, kind: "property" | "parameter", before: boolean, after: boolean): void {
  if (before === after) return;
  if (ctx.direction === "response") {
    if (after) ctx.emit("response-property-made-required", where, before, after, `\`${subject}\` is now always present`);
    else ctx.emit("response-property-made-optional", where, before, after, `\`${subject}\` is now optional: callers must handle undefined`);
    return;
  }
  if (after) ctx.emit(kind === "property" ? "request-property-made-required" : "request-parameter-made-required", where, before, after, `\`${subject}\` is now required`);
  else ctx.emit(kind === "property" ? "request-property-made-optional" : "request-parameter-made-optional", where, before, after, `\`${subject}\` is no longer required`);
}

/** Reports a change of the value types; false when the structures are too different to compare further. */
function compareTypes(ctx: CompareContext, b: Shape, h: Shape, where: Where, subject: string): boolean {
  const request = ctx.direction === "request";
  const text = (s: Shape) => (s.types ? [...s.types].sort().join(" | ") : s.variants ? "a union" : "any value");
  if (b.types === undefined && h.types === undefined) {
    if (Boolean(b.variants) === Boolean(h.variants)) return true;
    // A union on one side only: an untyped schema became (or stopped being) a union.
    if (request && !h.variants) ctx.emit("request-type-widened", where, text(b), text(h), `\`${subject}\` accepts any value now (was ${text(b)})`);
    else if (request) ctx.emit("request-type-changed", where, text(b), text(h), `\`${subject}\` is now ${text(h)} (was ${text(b)})`);
    else if (!b.variants) ctx.emit("response-type-narrowed", where, text(b), text(h), `\`${subject}\` is now ${text(h)} (was ${text(b)})`);
    else ctx.emit("response-type-changed", where, text(b), text(h), `\`${subject}\` is now ${text(h)} (was ${text(b)})`);
    return false;
  }
  if (b.types === undefined || h.types === undefined) {
    // An untyped fragment (`{ required: [url] }`) gaining or losing structure is a constraint, not a type change.
    if ((b.types === undefined && h.typesInferred) || (h.types === undefined && b.typesInferred)) return true;
    const widened = h.types === undefined && !h.variants;
    const narrowed = b.types === undefined && !b.variants;
    if (request) {
      if (widened) ctx.emit("request-type-widened", where, text(b), text(h), `\`${subject}\` accepts any value now (was ${text(b)})`);
      else ctx.emit("request-type-changed", where, text(b), text(h), `\`${subject}\` is now ${text(h)} (was ${text(b)})`);
    } else if (narrowed) ctx.emit("response-type-narrowed", where, text(b), text(h), `\`${subject}\` is now ${text(h)} (was ${text(b)})`);
    else ctx.emit("response-type-changed", where, text(b), text(h), `\`${subject}\` is now ${widened ? "any value (unknown)" : text(h)} (was ${text(b)})`);
    return false;
  }
  const added = [...h.types].filter((t) => !b.types!.has(t));
  const removed = [...b.types].filter((t) => !h.types!.has(t));
  if (added.length === 0 && removed.length === 0) return true;
  const before = text(b);
  const after = text(h);
  if (request) {
    if (removed.length === 0) ctx.emit("request-type-widened", where, before, after, `\`${subject}\` accepts ${after} (was ${before})`);
    else ctx.emit("request-type-changed", where, before, after, `\`${subject}\`: ${before} → ${after}`);
  } else if (added.length === 0) ctx.emit("response-type-narrowed", where, before, after, `\`${subject}\`: ${before} → ${after}`);
  else if (removed.length === 0 && added.every((t) => t === "null")) ctx.emit("response-property-made-nullable", where, before, after, `\`${subject}\` can be null now: callers must handle null`);
  else ctx.emit("response-type-changed", where, before, after, `\`${subject}\`: ${before} → ${after}`);
  // Structure is still worth comparing while the two share a non-null type.
  return [...b.types].some((t) => t !== "null" && h.types!.has(t));
}

function compareEnums(ctx: CompareContext, b: Shape, h: Shape, where: Where, subject: string): void {
  const request = ctx.direction === "request";
  const list = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");
  if (b.enumValues && h.enumValues) {
    const headKeys = new Set(h.enumValues.map((v) => JSON.stringify(v)));
    const baseKeys = new Set(b.enumValues.map((v) => JSON.stringify(v)));
    const removed = b.enumValues.filter((v) => !headKeys.has(JSON.stringify(v)));
    const added = h.enumValues.filter((v) => !baseKeys.has(JSON.stringify(v)));
    if (removed.length > 0) {
      ctx.emit(request ? "request-enum-value-removed" : "response-enum-value-removed", where, removed, null, `\`${subject}\`: ${list(removed)} no longer allowed`);
    }
    if (added.length > 0) {
      ctx.emit(request ? "request-enum-value-added" : "response-enum-value-added", where, null, added, `\`${subject}\`: ${list(added)} added`);
    }
  } else if (b.enumValues) {
    if (request) ctx.emit("request-type-widened", where, b.enumValues, null, `\`${subject}\` is no longer limited to ${list(b.enumValues)}`);
    else ctx.emit("response-type-changed", where, b.enumValues, null, `\`${subject}\` is no longer limited to ${list(b.enumValues)}`);
  } else if (h.enumValues) {
    if (request) ctx.emit("request-type-changed", where, null, h.enumValues, `\`${subject}\` is now limited to ${list(h.enumValues)}`);
    else ctx.emit("response-type-narrowed", where, null, h.enumValues, `\`${subject}\` is now limited to ${list(h.enumValues)}`);
  }
}

/** Union members are matched by discriminator value, else by `$ref` name, else by position. */
function compareVariants(ctx: CompareContext, b: Shape, h: Shape, subject: string): void {
  const request = ctx.direction === "request";
  const property = sharedDiscriminator(b.variants!, h.variants!);
  const baseMembers = variantKeys(b.variants!, property);
  const headMembers = variantKeys(h.variants!, property);
  for (const [key, member] of baseMembers) {
    const twin = headMembers.get(key);
    if (twin) compareSchemas(ctx, member, twin, `${subject}(${key})`);
    else if (request) ctx.emit("request-type-changed", { base: member.at }, key, null, `\`${subject}\` no longer accepts the ${key} member`);
    else ctx.emit("response-type-narrowed", { base: member.at }, key, null, `\`${subject}\` no longer has the ${key} member`);
  }
  for (const [key, member] of headMembers) {
    if (baseMembers.has(key)) continue;
    if (request) ctx.emit("request-type-widened", { head: member.at }, null, key, `\`${subject}\` accepts a new ${key} member`);
    else ctx.emit("response-variant-added", { head: member.at }, null, key, `\`${subject}\` has a new ${key} member`);
  }
}

/** A property every member of both unions pins to one value (Dify's `event`), if there is one. */
function sharedDiscriminator(base: SchemaRef[], head: SchemaRef[]): string | undefined {
  const members = [...base, ...head].map((m) => shapeOf(m));
  const first = members[0];
  if (!first) return undefined;
  return [...first.properties.keys()].find((name) => members.every((m) => singleValue(m, name) !== undefined));
}

function singleValue(member: Shape, property: string): string | undefined {
  const ref = member.properties.get(property);
  if (!ref) return undefined;
  const values = shapeOf(ref).enumValues;
  return values?.length === 1 ? JSON.stringify(values[0]) : undefined;
}

function variantKeys(members: SchemaRef[], discriminator: string | undefined): Map<string, SchemaRef> {
  const keys = new Map<string, SchemaRef>();
  members.forEach((member, i) => {
    const ref = isObject(member.value) && typeof member.value["$ref"] === "string" ? member.value["$ref"].split("/").pop() : undefined;
    const pinned = discriminator === undefined ? undefined : singleValue(shapeOf(member), discriminator);
    let key = pinned !== undefined ? `${discriminator}=${pinned}` : ref ?? `#${i + 1}`;
    if (keys.has(key)) key = `${key}#${i + 1}`;
    keys.set(key, member);
  });
  return keys;
}
