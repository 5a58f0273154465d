/**
 * The facade's exported API as a caller sees it, read with ts-morph's type
 * checker from a generated client.ts + schema.d.ts held in memory (the
 * runtime resolves from the project's src/ on disk; nothing is written), and
 * the difference between two of them: methods added, removed, and changed
 * arguments, `params` members and results, as text.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Project, TypeFormatFlags } from "../codegen/ts-morph-typescript.js"; // ts-morph on the project's TypeScript
import type { MethodDeclaration, Node, Type } from "ts-morph";
import { pascalCase } from "../codegen/naming.js";
import type { GeneratedSide } from "./generate-side.js";

/** A type spelled out: its text, and its parts where a diff should go deeper. */
export interface TypeTree {
  text: string;
  /** Properties of an object type. */
  members?: Map<string, { optional: boolean; type: TypeTree }>;
  /** Element type of an array. */
  element?: TypeTree;
}

export interface SurfaceType {
  /** The type as the signature writes it (`DeleteConversationParams`), spelled out when it is an indexed access. */
  written: string;
  tree: TypeTree;
}

export interface SurfaceParameter {
  name: string;
  optional: boolean;
  type: SurfaceType;
}

export interface SurfaceSignature {
  parameters: SurfaceParameter[];
  /** What the returned promise resolves with. */
  result: SurfaceType;
}

export interface FacadeSurface {
  /** Method name → its signatures (overloads, or the one signature). */
  methods: Map<string, SurfaceSignature[]>;
}

export interface FacadeChange {
  method: string;
  kind: "added" | "removed" | "changed";
  /** One-line signatures, as a caller would read them in an editor. */
  before: string[];
  after: string[];
  /** What changed, one line each: `params.user: required → optional`. */
  details: string[];
}

/** Reads the surface of each generated client, its files placed in turn (in memory) in `<root>/<out>/`. */
export function readFacadeSurfaces(root: string, out: string, facade: { file: string; client: string }, sides: readonly GeneratedSide[]): FacadeSurface[] {
  const tsconfig = join(root, "tsconfig.json");
  // No Node types: the facade and the runtime do not use them, and loading them doubles the time.
  const compilerOptions = { types: [] as string[], skipLibCheck: true };
  const project = existsSync(tsconfig)
    ? new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions })
    : new Project({ compilerOptions: { ...compilerOptions, strict: true, exactOptionalPropertyTypes: true } });
  // One project for both sides: replacing the generated files reuses the parsed runtime and libs.
  return sides.map((side) => {
    for (const existing of project.getSourceFiles()) if (existing.getFilePath().startsWith(join(root, out) + "/")) project.removeSourceFile(existing);
    const generated = new Set<string>();
    for (const [name, text] of side.files) {
      const path = join(root, out, name);
      project.createSourceFile(path, text, { overwrite: true });
      generated.add(path);
    }
    project.resolveSourceFileDependencies();
    const file = project.getSourceFileOrThrow(join(root, out, facade.file));
    const methods = new Map<string, SurfaceSignature[]>();
    const cls = file.getClassOrThrow(`${pascalCase(facade.client)}Client`);
    for (const method of cls.getMethods()) {
      const overloads = method.getOverloads();
      methods.set(method.getName(), (overloads.length > 0 ? overloads : [method]).map((m) => signatureOf(m, generated)));
    }
    return { methods };
  });
}

function signatureOf(method: MethodDeclaration, generated: ReadonlySet<string>): SurfaceSignature {
  const printer = new TypePrinter(method, generated);
  const surface = (node: string | undefined, type: Type, optional = false): SurfaceType => {
    const tree = printer.tree(type, 0, optional);
    // Path arguments are typed by indexed accesses into the schema; their spelled-out type (string) reads better.
    return { written: node === undefined || node.includes("[") ? tree.text : node.replace(/\$(?=[A-Z])/g, ""), tree };
  };
  const parameters = method.getParameters().map((p): SurfaceParameter => ({ name: p.getName(), optional: p.isOptional(), type: surface(p.getTypeNode()?.getText(), p.getType(), p.isOptional()) }));
  const promise = method.getReturnType();
  const result = promise.getTypeArguments()[0] ?? promise;
  return { parameters, result: surface(resolvedType(method.getReturnTypeNode()?.getText()), result) };
}

/** `Promise<R>`, `$ApiPromise<R>` (every call since pagination) and `$PagePromise<R, Item>` all resolve with R. */
function resolvedType(text: string | undefined): string | undefined {
  const match = text === undefined ? null : /^\$?(?:Api|Page)?Promise<(.*)>$/s.exec(text);
  if (!match) return text;
  // The first type argument: up to a comma outside any brackets.
  const args = match[1]!;
  let depth = 0;
  for (let i = 0; i < args.length; i++) {
    const char = args[i]!;
    if ("<([{".includes(char)) depth++;
    else if (">)]}".includes(char)) depth--;
    else if (char === "," && depth === 0) return args.slice(0, i);
  }
  return args;
}

/**
 * Spells a type out structurally (sorted members, no alias names), so the
 * same type reached through `components["parameters"]["X"]` on one side and
 * written inline on the other prints the same. Named types from outside the
 * generated files (Blob, EventStream) keep their names.
 */
class TypePrinter {
  readonly #stack = new Set<Type>();
  constructor(
    readonly at: Node,
    readonly generated: ReadonlySet<string>,
  ) {}

  /** `dropUndefined`: an optional member's type, whose `| undefined` the `?` already says. */
  tree(type: Type, depth = 0, dropUndefined = false): TypeTree {
    if (type.isBoolean()) return { text: "boolean" };
    if (type.isUnion()) {
      const members = type.getUnionTypes().filter((t) => !(dropUndefined && t.isUndefined()));
      // An optional params argument is `X | undefined`: X's members are what a diff needs.
      const defined = members.filter((t) => !t.isUndefined());
      if (defined.length === 1 && !defined[0]!.isBooleanLiteral()) {
        const inner = this.tree(defined[0]!, depth);
        return members.length === 1 ? inner : { ...inner, text: `${inner.text} | undefined` };
      }
      const parts = new Set(members.map((t) => this.tree(t, depth).text));
      // `true | false` inside a larger union prints as two members; fold them back.
      if (parts.has("true") && parts.has("false")) {
        parts.delete("true");
        parts.delete("false");
        parts.add("boolean");
      }
      return { text: [...parts].sort().join(" | ") };
    }
    if (type.isArray()) {
      const elementType = type.getArrayElementTypeOrThrow();
      const element = this.tree(elementType, depth + 1);
      const bare = elementType.isUnion() && !elementType.isBoolean() ? `(${element.text})` : element.text;
      return { text: `${bare}[]`, element };
    }
    if (!type.isObject() && !type.isIntersection()) return { text: type.getText(this.at, TypeFormatFlags.NoTruncation) };
    if (!this.#isStructural(type)) {
      const args = type.getTypeArguments();
      const name = type.getSymbol()?.getName() ?? type.getText(this.at);
      return { text: args.length === 0 ? name : `${name}<${args.map((a) => this.tree(a, depth + 1).text).join(", ")}>` };
    }
    if (this.#stack.has(type) || depth > 12) return { text: "…" };
    this.#stack.add(type);
    try {
      const members = new Map<string, { optional: boolean; type: TypeTree }>();
      const props = [...type.getProperties()].sort((a, b) => a.getName().localeCompare(b.getName()));
      for (const prop of props) {
        const optional = prop.isOptional();
        members.set(prop.getName(), { optional, type: this.tree(prop.getTypeAtLocation(this.at), depth + 1, optional) });
      }
      const parts = [...members].map(([name, m]) => `${propertyKey(name)}${m.optional ? "?" : ""}: ${m.type.text}`);
      const index = type.getStringIndexType();
      if (index) parts.unshift(`[key: string]: ${this.tree(index, depth + 1).text}`);
      return { text: parts.length === 0 ? "{}" : `{ ${parts.join("; ")} }`, members };
    } finally {
      this.#stack.delete(type);
    }
  }

  /** An anonymous object, a mapped type or an intersection of those, or a type declared in the generated files. */
  #isStructural(type: Type): boolean {
    if (type.isIntersection()) return type.getIntersectionTypes().every((t) => this.#isStructural(t));
    if (!type.isObject() || type.isArray() || type.getCallSignatures().length > 0) return false;
    const symbol = type.getSymbol();
    if (!symbol || symbol.getName() === "__type" || symbol.getName() === "__object") return true;
    return symbol.getDeclarations().every((d) => this.generated.has(d.getSourceFile().getFilePath()));
  }
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** `deleteConversation(conversationId: string, params?: DeleteConversationParams, options?: RequestOptions): Promise<DeleteConversationResult>` */
export function signatureText(name: string, sig: SurfaceSignature): string {
  const args = sig.parameters.map((p) => `${p.name}${p.optional ? "?" : ""}: ${p.type.written}`);
  return `${name}(${args.join(", ")}): Promise<${sig.result.written}>`;
}

export function diffFacadeSurface(base: FacadeSurface, head: FacadeSurface): FacadeChange[] {
  const changes: FacadeChange[] = [];
  const texts = (name: string, sigs: SurfaceSignature[]) => sigs.map((s) => signatureText(name, s));
  for (const [name, sigs] of base.methods) {
    const twin = head.methods.get(name);
    if (!twin) {
      changes.push({ method: name, kind: "removed", before: texts(name, sigs), after: [], details: [] });
      continue;
    }
    const details = diffSignatures(sigs, twin);
    if (details.length > 0) changes.push({ method: name, kind: "changed", before: texts(name, sigs), after: texts(name, twin), details });
  }
  for (const [name, sigs] of head.methods) {
    if (!base.methods.has(name)) changes.push({ method: name, kind: "added", before: [], after: texts(name, sigs), details: [] });
  }
  const order = { removed: 0, changed: 1, added: 2 };
  return changes.sort((a, b) => order[a.kind] - order[b.kind] || a.method.localeCompare(b.method));
}

function diffSignatures(base: SurfaceSignature[], head: SurfaceSignature[]): string[] {
  const details: string[] = [];
  if (base.length !== head.length) details.push(`overloads: ${base.length} → ${head.length}`);
  // Overloads are compared in order; the generator emits them in a fixed order (stream, JSON, either).
  const count = Math.min(base.length, head.length);
  for (let i = 0; i < count; i++) {
    const prefix = count > 1 ? `overload ${i + 1}: ` : "";
    details.push(...diffSignature(base[i]!, head[i]!).map((d) => prefix + d));
  }
  return details;
}

function diffSignature(b: SurfaceSignature, h: SurfaceSignature): string[] {
  const details: string[] = [];
  const max = Math.max(b.parameters.length, h.parameters.length);
  for (let i = 0; i < max; i++) {
    const bp = b.parameters[i];
    const hp = h.parameters[i];
    if (!bp) details.push(`argument ${i + 1} added: ${hp!.name}${hp!.optional ? "?" : ""}: ${hp!.type.written}`);
    else if (!hp) details.push(`argument ${i + 1} removed: ${bp.name}`);
    else {
      const label = bp.name === "params" || bp.name === "options" ? bp.name : `argument ${i + 1} (${hp.name})`;
      if (bp.name !== hp.name) details.push(`argument ${i + 1} renamed: ${bp.name} → ${hp.name}`);
      if (bp.optional !== hp.optional) details.push(`${label}: ${bp.optional ? "optional → required" : "required → optional"}`);
      details.push(...diffType(label, bp.type, hp.type));
    }
  }
  details.push(...diffType("result", b.result, h.result));
  return details;
}

function diffType(label: string, b: SurfaceType, h: SurfaceType): string[] {
  return diffTree(label, b.tree, h.tree);
}

/** Descends through object members and array elements to the deepest place that differs. */
function diffTree(label: string, b: TypeTree, h: TypeTree): string[] {
  if (b.text === h.text) return [];
  if (b.members && h.members) {
    const details: string[] = [];
    for (const [name, bm] of b.members) {
      const hm = h.members.get(name);
      if (!hm) details.push(`${label}.${name}: removed`);
      else {
        if (bm.optional !== hm.optional) details.push(`${label}.${name}: ${bm.optional ? "optional → required" : "required → optional"}`);
        details.push(...diffTree(`${label}.${name}`, bm.type, hm.type));
      }
    }
    for (const [name, hm] of h.members) if (!b.members.has(name)) details.push(`${label}.${name}: added${hm.optional ? " (optional)" : ""}: ${hm.type.text}`);
    // Same members, different text: the object became nullable or optional as a whole.
    if (details.length === 0) details.push(`${label}: ${b.text} → ${h.text}`);
    return details;
  }
  if (b.element && h.element) return diffTree(`${label}[]`, b.element, h.element);
  return [`${label}: ${b.text} → ${h.text}`];
}
