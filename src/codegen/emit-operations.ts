/**
 * Emits the operations: per operation its `…Params`/`…Result`/`…Event` types
 * (indexed from openapi-typescript's `paths`) and a standalone function that
 * calls the runtime with the operation's wire descriptor. Every client of a
 * spec shares these: an operation has one name and one implementation.
 * Structures only (printed by emit-client.ts); every spec string goes through
 * `stringLiteral`/`docText`.
 */
import { StructureKind, VariableDeclarationKind } from "./ts-morph-typescript.js"; // ts-morph on the project's TypeScript
import type {
  FunctionDeclarationStructure,
  JSDocStructure,
  OptionalKind,
  ParameterDeclarationStructure,
  StatementStructures,
  TypeAliasDeclarationStructure,
  VariableStatementStructure,
} from "ts-morph";
import { UNDESCRIBED_RESPONSE, type OperationSpec } from "../runtime/operation.js";
import { camelCase, pascalCase, safeIdentifier, uniqueName } from "./naming.js";
import { eventStreamResponse, type OperationModel, type ResponseModel } from "./operation-model.js";
import { dataLiteral, docText, propertyName, stringLiteral } from "./ts-literals.js";


export interface Signature {
  parameters: OptionalKind<ParameterDeclarationStructure>[];
  returnType: string;
  /** An overload's own doc: the operation's full text is written once, on the first overload. */
  docs?: JSDocStructure[];
}

export interface DescribedOperation extends Signature {
  model: OperationModel;
  name: string;
  /** Overload signatures (a stream switch: streaming, JSON, either); empty for a single signature. */
  overloads: Signature[];
  docs: JSDocStructure[];
  types: TypeAliasDeclarationStructure[];
  /** `$<name>`: the operation's method, path and operationId, written once; the function and every client's index use it. */
  infoName: string;
  info: VariableStatementStructure;
  /** `$$<name>`: the operation's wire descriptor, built on its first call (the runtime helpers it needs included; module-local). */
  descriptor: VariableStatementStructure;
  fn: FunctionDeclarationStructure;
}

export interface DescribeOptions {
  /**
   * The class whose method carries the operation's doc in the same file (`PetstoreClient`): the
   * standalone function then links to it instead of repeating the text. Unset, the function has it.
   */
  docsOn?: { className: string; createConfig: string };
  /** Whether `$<name>` is exported (operations.ts, for the client files' indexes) or local to its file (client.ts). */
  exportInfo?: boolean;
  /** Method names by operation key, of the operations emitted in the same file (a resume descriptor refers to its operation's `$<name>`). */
  names?: ReadonlyMap<string, string>;
}

export function describe(op: OperationModel, name: string, options: DescribeOptions = {}): DescribedOperation {
  const typeBase = pascalCase(name);
  const opType = `$paths[${stringLiteral(op.path)}][${stringLiteral(op.specMethod)}]`;
  const paramsType = `${typeBase}Params`;
  const resultType = `${typeBase}Result`;
  const eventType = `${typeBase}Event`;
  const itemType = `${typeBase}Item`;
  const sseResponse = eventStreamResponse(op);
  // A resumable stream also takes the resume options (resume, maxResumes, onResume).
  const streamOptions = op.resume ? "$RequestOptions & $StreamOptions & $ResumeOptions" : "$RequestOptions & $StreamOptions";

  // Path parameters: camelCase identifiers, unique, never clashing with the fixed argument names.
  const taken = new Set(["config", "params", "options"]);
  const pathArgs = op.pathParams.map((p) => {
    const arg = uniqueName(safeIdentifier(camelCase(p.name), "param"), taken);
    taken.add(arg);
    const type = p.declared ? `${opType}["parameters"]["path"][${stringLiteral(p.name)}]` : "string";
    return { param: p, arg, type };
  });

  const parameters: OptionalKind<ParameterDeclarationStructure>[] = [
    ...pathArgs.map(({ arg, type }) => ({ name: arg, type })),
    { name: "params", type: paramsType, hasQuestionToken: !op.paramsRequired },
    // An operation that always streams takes the stream options (includePings) too.
    { name: "options", type: op.stream === undefined && sseResponse ? streamOptions : "$RequestOptions", hasQuestionToken: true },
  ];
  const docs = [operationDocs(op)];
  const streamType = `$EventStream<${eventType}>`;
  const overloads: Signature[] = [];
  // Awaited, a paginated list is its first page; iterated, every item of every page.
  let returnType = op.pagination ? `$PagePromise<${resultType}, ${itemType}>` : `$ApiPromise<${resultType}>`;
  if (op.stream) {
    const { property, value, byDefault } = op.stream;
    const key = propertyName(property);
    const withParams = (type: string, optional: boolean, options = "$RequestOptions") =>
      parameters.map((p) => (p.name === "params" ? { ...p, type, hasQuestionToken: optional } : p.name === "options" ? { ...p, type: options } : p));
    // Merged params carry the switch themselves; split ones in their body ({ query, header, body }).
    const bodyType = op.paramsShape === "split" ? `NonNullable<${paramsType}["body"]>` : paramsType;
    const withSwitch = (member: string) => (op.paramsShape === "split" ? `${paramsType} & { body: ${bodyType} & ${member} }` : `${paramsType} & ${member}`);
    const streamParams = withSwitch(`{ ${key}${byDefault ? "?" : ""}: ${stringLiteral(value)} }`);
    const jsonParams = withSwitch(`{ ${key}${byDefault ? "" : "?"}: Exclude<${bodyType}[${stringLiteral(property)}], ${stringLiteral(value)} | undefined> }`);
    const short = (text: string): JSDocStructure[] => [{ kind: StructureKind.JSDoc, description: `${text} (The first overload describes the operation.)` }];
    overloads.push(
      { parameters: withParams(streamParams, !op.paramsRequired && byDefault, streamOptions), returnType: `$ApiPromise<${streamType}>`, docs },
      {
        parameters: withParams(jsonParams, false),
        returnType: `$ApiPromise<${resultType}>`,
        docs: short(`\`${name}\` without streaming: resolves with the JSON result.`),
      },
      {
        parameters: withParams(paramsType, !op.paramsRequired, streamOptions),
        returnType: `$ApiPromise<${resultType} | ${streamType}>`,
        docs: short(`\`${name}\` when \`${docText(property)}\` is known only at run time: resolves with the JSON result or the event stream.`),
      },
    );
    returnType = `$ApiPromise<${resultType} | ${streamType}>`;
    parameters.splice(parameters.length - 1, 1, { name: "options", type: streamOptions, hasQuestionToken: true });
  }

  const types: TypeAliasDeclarationStructure[] = [
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: paramsType,
      docs: [`Query, header and body values of \`${name}\`${op.paramsShape === "split" ? ", as `{ query, header, body }`" : ""}.`],
      type: paramsTypeOf(op, opType),
    },
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: resultType,
      docs: [`What \`${name}\` resolves with${op.stream ? ` when it does not stream` : ""}.`],
      type: resultTypeOf(op, opType, streamType),
    },
  ];
  if (op.pagination) {
    types.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: itemType,
      docs: [`One item of a \`${name}\` page: what iterating the call yields.`],
      type: `NonNullable<${resultType}[${stringLiteral(op.pagination.items)}]>[number]`,
    });
  }
  if (sseResponse) {
    const status = /^\d+$/.test(sseResponse.status) ? sseResponse.status : stringLiteral(sseResponse.status);
    const sseType = sseResponse.contentTypes.find((t) => /^text\/event-stream/i.test(t))!;
    types.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: eventType,
      docs: [`One event of the stream \`${name}\` returns${sseResponse.typedEvents ? "" : ": its data, as text (the spec describes no event objects)"}.`],
      // A stream the spec types as text (or not at all) yields each event's data as a string.
      type: sseResponse.typedEvents ? `${opType}["responses"][${status}]["content"][${stringLiteral(sseType)}]` : "string",
    });
  }

  // The rest of the wire descriptor: method and path come from `$<name>` (its operationId is unused by the call).
  const infoName = `$${name}`;
  const descriptorName = `$$${name}`;
  const spec: Omit<OperationSpec, "method" | "path"> = {
    query: op.query.map((p) => p.name),
    ...(op.query.some((p) => p.style) && { queryStyles: Object.fromEntries(op.query.flatMap((p) => (p.style ? [[p.name, p.style]] : []))) }),
    header: op.header.map((p) => p.name),
    ...(op.cookie.length > 0 && { cookie: op.cookie.map((p) => p.name) }),
    // A JSON body's usual type is the runtime's default: not repeated in every descriptor.
    ...(op.body && { body: op.body.encoding, ...(!(op.body.encoding === "json" && op.body.mediaType === "application/json") && { bodyMediaType: op.body.mediaType }), bodyRequired: op.body.required }),
    params: op.paramsShape === "split" ? "split" : "merged",
    response: responseKind(op.success),
    ...(op.stream && { stream: { property: op.stream.property, value: op.stream.value, byDefault: op.stream.byDefault } }),
    ...(responseMediaTypes(op).length > 1 && { responseMediaTypes: responseMediaTypes(op) }),
    ...(op.terminalEvents && { terminalEvents: op.terminalEvents }),
    ...(sseResponse && !sseResponse.typedEvents && { eventData: "text" as const }),
    ...(op.pagination && { pagination: op.pagination }),
  };
  const pathObject = pathArgs.length === 0 ? "{}" : `{ ${pathArgs.map(({ param, arg }) => `${propertyName(param.name)}: ${arg}`).join(", ")} }`;
  // Each doc text once per file: on the class method when the class is beside the function.
  const fnDocs: JSDocStructure[] = options.docsOn
    ? [{ kind: StructureKind.JSDoc, description: `{@link ${options.docsOn.className}.${name}} as a standalone function: takes a \`${options.docsOn.createConfig}\` config first.` }]
    : docs;
  const fn: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    isExported: true,
    name,
    // With overloads, editors show the overloads' docs; the implementation needs none.
    docs: overloads.length > 0 ? [] : fnDocs,
    parameters: [{ name: "config", type: "$ClientContext" }, ...parameters],
    returnType,
    overloads: overloads.map((o, i) => ({ docs: options.docsOn ? (i === 0 ? fnDocs : []) : (o.docs ?? []), parameters: [{ name: "config", type: "$ClientContext" }, ...o.parameters], returnType: o.returnType })),
    // The stream reader and the paginator are passed only where needed, so other bundles carry neither.
    statements: [`return $call(config, (${descriptorName} ??= ${withHelpers(withInfo(infoName, withResume(dataLiteral(spec), op, options.names)), op)}), ${pathObject}, params, options${callExtras(sseResponse ? (op.resume ? "$openResumableEventStream" : "$openEventStream") : undefined, !!op.pagination)}) as ${returnType};`],
  };
  const { method, path, operationId } = op;
  // Built on the first call and kept (not spread anew per call); a `let` without initializer, so a bundler drops it with its function.
  const descriptor: VariableStatementStructure = {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Let,
    declarations: [{ name: descriptorName, type: "$OperationSpec | undefined" }],
  };
  const info: VariableStatementStructure = {
    kind: StructureKind.VariableStatement,
    isExported: options.exportInfo ?? false,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name: infoName, initializer: `${dataLiteral({ method, path, operationId })} as const satisfies $OperationInfo` }],
  };
  return { model: op, name, parameters, returnType, overloads, docs, types, infoName, info, descriptor, fn };
}

function callExtras(opener: string | undefined, paginated: boolean): string {
  if (paginated) return `, ${opener ?? "undefined"}, $paginate`;
  return opener ? `, ${opener}` : "";
}

/**
 * The descriptor's literal with the runtime's resume descriptor (resume.ts reads it) added last: the
 * resume operation's method and path come from its `$<name>` info when it is emitted beside this one.
 */
function withResume(literal: string, op: OperationModel, names: ReadonlyMap<string, string> | undefined): string {
  if (!op.resume) return literal;
  const { method, path, pathParam, runId, query, terminalEvents } = op.resume;
  const rest = { pathParam, runId, query, ...(terminalEvents && { terminalEvents }) };
  const target = names?.get(`${method} ${path}`);
  const resume = target === undefined ? dataLiteral({ method, path, ...rest }) : withInfo(`$${target}`, dataLiteral(rest));
  return withFields(literal, [`resume: ${resume}`]);
}

/** `{ a: 1, b: 2 }` with `fields` (already TypeScript text) added last. */
function withFields(literal: string, fields: readonly string[]): string {
  return fields.length === 0 ? literal : `${literal.slice(0, -2)}, ${fields.join(", ")} }`;
}

/** `{ ...$name, query: … }`: the descriptor's literal with the operation's info spread in first. */
function withInfo(infoName: string, rest: string): string {
  return rest === "{}" ? `{ ...${infoName} }` : `{ ...${infoName}, ${rest.slice(2)}`;
}

/**
 * The runtime helpers only some operations need, by reference (runtime aliases, see emit-client.ts):
 * a body encoder other than JSON's, the cookie serializer. A bundle without such operations carries none.
 */
const BODY_ENCODER_ALIASES: Readonly<Record<string, string>> = { text: "$textBody", form: "$formBody", multipart: "$multipartBody", binary: "$binaryBody" };

function withHelpers(literal: string, op: OperationModel): string {
  return withFields(literal, [
    ...(op.body && op.body.encoding !== "json" ? [`encodeBody: ${BODY_ENCODER_ALIASES[op.body.encoding]}`] : []),
    ...(op.cookie.length > 0 ? ["cookieHeader: $cookieHeader"] : []),
  ]);
}

function paramsTypeOf(op: OperationModel, opType: string): string {
  const query = op.query.length > 0 ? `NonNullable<${opType}["parameters"]["query"]>` : undefined;
  const header = op.header.length > 0 ? `NonNullable<${opType}["parameters"]["header"]>` : undefined;
  const cookie = op.cookie.length > 0 ? `NonNullable<${opType}["parameters"]["cookie"]>` : undefined;
  const body = op.body ? `NonNullable<${opType}["requestBody"]>["content"][${stringLiteral(op.body.mediaType)}]` : undefined;
  if (op.paramsShape === "none") return "Record<string, never>";
  if (op.paramsShape === "merged") return [query, header, cookie, body].filter(Boolean).join(" & ");
  const optional = (required: boolean) => (required ? "" : "?");
  const members = [
    query && `query${optional(op.query.some((p) => p.required))}: ${query}`,
    header && `header${optional(op.header.some((p) => p.required))}: ${header}`,
    cookie && `cookie${optional(op.cookie.some((p) => p.required))}: ${cookie}`,
    body && `body${optional(op.body!.required)}: ${body}`,
  ];
  return `{ ${members.filter(Boolean).join("; ")} }`;
}

function resultTypeOf(op: OperationModel, opType: string, streamType: string): string {
  // No declared response (OpenAPI 3.1 allows it): whatever the server sends, by its Content-Type.
  if (op.success.length === 0) return "unknown";
  const variants = op.success.map((r) => (r.kind === "sse" ? streamType : responseType(r, opType)));
  const unique = [...new Set(variants)];
  if (unique.every((v) => v === "undefined")) return "void";
  return unique.join(" | ");
}

function responseType(response: ResponseModel, opType: string): string {
  const status = /^\d+$/.test(response.status) ? response.status : stringLiteral(response.status);
  switch (response.kind) {
    case "void":
      return "undefined";
    case "blob":
      return "Blob";
    case "sse":
      throw new Error("unreachable: event streams are typed by resultTypeOf");
    case "json":
    case "text":
      return `${opType}["responses"][${status}]["content"][${stringLiteral(response.mediaType!)}]`;
  }
}

/** Every non-stream media type the success responses declare: when there are several, the response's own Content-Type decides how it is read. */
function responseMediaTypes(op: OperationModel): string[] {
  if (op.success.length === 0) return [...UNDESCRIBED_RESPONSE.responseMediaTypes];
  return [...new Set(op.success.flatMap((r) => r.contentTypes.filter((t) => !/^text\/event-stream/i.test(t))))];
}

/** The kind the runtime reads: the first success response that has content decides. */
function responseKind(success: readonly ResponseModel[]): OperationSpec["response"] {
  // Nothing declared: read as the response says (see responseMediaTypes).
  if (success.length === 0) return UNDESCRIBED_RESPONSE.response;
  return success.find((r) => r.kind !== "void")?.kind ?? "void";
}

function operationDocs(op: OperationModel): JSDocStructure {
  const parts: string[] = [];
  if (op.summary) parts.push(docText(op.summary));
  if (op.description && op.description.trim() !== op.summary?.trim()) parts.push(docText(op.description));
  const id = op.operationId === undefined ? "" : ` (operationId \`${docText(op.operationId).replace(/`/g, "'")}\`)`;
  parts.push(`\`${docText(op.method)} ${docText(op.path).replace(/`/g, "'")}\`${id}`);
  if (op.stream) {
    const { property, value, byDefault } = op.stream;
    parts.push(
      `Streams when \`${docText(property)}\` is \`${docText(JSON.stringify(value))}\`${byDefault ? " (the default)" : ""}: the promise then resolves with an async iterable of typed events; breaking out of the loop aborts the request. Otherwise it resolves with the JSON result. A streaming request is never retried.`,
    );
  }
  if (op.pagination) {
    parts.push(
      `Paginated: awaited, the call resolves with one page; \`for await\` over it yields every item of every page, and \`.pages()\` every page (each next page is one more request, setting \`${docText(op.pagination.param)}\`).`,
    );
  }
  if (op.paramsShape === "split") {
    parts.push(
      op.body?.properties === undefined
        ? "Takes `{ query, header, body }` instead of one merged object: the request body is not an object."
        : "Takes `{ query, header, body }` instead of one merged object: a query or header parameter and a body property share a name.",
    );
  }
  return {
    kind: StructureKind.JSDoc,
    description: parts.join("\n\n"),
    tags: op.deprecated ? [{ tagName: "deprecated", text: "The API marks this operation as deprecated." }] : [],
  };
}


/** The statements of the operations: types and standalone function of each, in the given order. */
export function operationStatements(ops: readonly DescribedOperation[]): StatementStructures[] {
  return ops.flatMap((op) => [...op.types, op.info, op.descriptor, op.fn]);
}

/** Which optional runtime imports the operations need. */
export function usesEventStreams(ops: readonly DescribedOperation[]): boolean {
  return ops.some((op) => eventStreamResponse(op.model) !== undefined);
}
