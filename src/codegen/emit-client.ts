/**
 * Emits the facade (`client.ts`) with ts-morph structures, in one bulk
 * `createSourceFile` call: names come from the name lock (valid identifiers by
 * construction), every spec string goes through `stringLiteral`/`docText`, and
 * every type is an indexed access into openapi-typescript's `paths`.
 */
import {
  IndentationText,
  Project,
  QuoteKind,
  StructureKind,
  VariableDeclarationKind,
  type ClassDeclarationStructure,
  type FunctionDeclarationStructure,
  type JSDocStructure,
  type MethodDeclarationStructure,
  type OptionalKind,
  type ParameterDeclarationStructure,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
} from "ts-morph";
import type { OperationSpec } from "../runtime/operation.js";
import { camelCase, pascalCase, safeIdentifier, uniqueName } from "./naming.js";
import type { OperationModel, ResponseModel } from "./operation-model.js";
import { dataLiteral, docText, propertyName, stringLiteral } from "./ts-literals.js";

export interface FacadeInput {
  /** Client name in camelCase, e.g. "chatflow" → ChatflowClient, createChatflowClient, chatflowOperations. */
  clientName: string;
  /** API title, for the client's doc comment. */
  title: string | undefined;
  defaultBaseUrl: string;
  operations: readonly OperationModel[];
  /** Operation key → method name (from the name lock). */
  names: ReadonlyMap<string, string>;
  /** Module specifier of the runtime, relative to the output folder. */
  runtimeImport: string;
  /** Module specifier of the schema types, e.g. "./schema.js". */
  schemaImport: string;
}

/** Module-level names of the facade; operation names must not take them. */
export function facadeExportNames(clientName: string): string[] {
  const pascal = pascalCase(clientName);
  // Also the import aliases ($call, …): a lock entry may name anything that is an identifier.
  return [
    `${clientName}Operations`,
    `${clientName}DefaultBaseUrl`,
    `create${pascal}Client`,
    `create${pascal}Config`,
    `${pascal}Client`,
    `${pascal}Config`,
    "$call",
    "$createContext",
    "$openEventStream",
    "$paths",
  ];
}

export function emitFacade(input: FacadeInput): string {
  const pascal = pascalCase(input.clientName);
  const names = {
    client: `${pascal}Client`,
    create: `create${pascal}Client`,
    config: `${pascal}Config`,
    createConfig: `create${pascal}Config`,
    operations: `${input.clientName}Operations`,
    baseUrl: `${input.clientName}DefaultBaseUrl`,
  };
  const ops = input.operations.map((op) => describe(op, input.names.get(op.key)!));

  const statements: StatementStructures[] = [
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: input.schemaImport,
      namedImports: [{ name: "paths", alias: "$paths" }],
    },
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: input.runtimeImport,
      namedImports: [
        { name: "callOperation", alias: "$call" },
        { name: "createContext", alias: "$createContext" },
        ...(input.operations.some((op) => eventStreamResponse(op) !== undefined) ? [{ name: "openEventStream", alias: "$openEventStream" }] : []),
        { name: "CheckedClientOptions", alias: "$CheckedClientOptions", isTypeOnly: true },
        { name: "EventStream", alias: "$EventStream", isTypeOnly: true },
        { name: "StreamOptions", alias: "$StreamOptions", isTypeOnly: true },
        { name: "ClientContext", alias: "$ClientContext", isTypeOnly: true },
        { name: "ClientOptions", alias: "$ClientOptions", isTypeOnly: true },
        { name: "OperationInfo", alias: "$OperationInfo", isTypeOnly: true },
        { name: "RequestOptions", alias: "$RequestOptions", isTypeOnly: true },
      ],
    },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ["The spec's default server URL, used when the client is given no `baseUrl`."],
      declarations: [{ name: names.baseUrl, initializer: stringLiteral(input.defaultBaseUrl) }],
    },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ["Every operation of the API: method name → HTTP method, path template and operationId."],
      declarations: [
        {
          name: names.operations,
          initializer: (writer) => {
            writer.write("{").newLine();
            writer.indent(() => {
              for (const op of ops) {
                const { method, path, operationId } = op.model;
                writer.writeLine(`${op.name}: ${dataLiteral({ method, path, operationId })},`);
              }
            });
            writer.write(`} as const satisfies Readonly<Record<string, $OperationInfo>>`);
          },
        },
      ],
    },
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: names.config,
      docs: [`What standalone operation functions take as their first argument; made by \`${names.createConfig}\`.`],
      type: "$ClientContext",
    },
    {
      kind: StructureKind.Function,
      isExported: true,
      name: names.createConfig,
      docs: [`Configuration for the standalone operation functions (\`${ops[0]?.name ?? "operation"}(config, …)\`), which bundle only what they use.`],
      typeParameters: [{ name: "K", constraint: "string" }],
      parameters: [{ name: "options", type: "$CheckedClientOptions<K>" }],
      returnType: names.config,
      statements: [`return $createContext(options, { baseUrl: ${names.baseUrl} });`],
    },
  ];

  for (const op of ops) statements.push(...op.types, op.fn);

  statements.push(clientClass(input, names, ops), {
    kind: StructureKind.Function,
    isExported: true,
    name: names.create,
    docs: [`Creates a ${names.client}. \`apiKey\` is required and must not be empty.`],
    typeParameters: [{ name: "K", constraint: "string" }],
    parameters: [{ name: "options", type: "$CheckedClientOptions<K>" }],
    returnType: names.client,
    statements: [`return new ${names.client}(options);`],
  });

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double },
  });
  return project.createSourceFile("client.ts", { statements }).getFullText();
}

interface Signature {
  parameters: OptionalKind<ParameterDeclarationStructure>[];
  returnType: string;
}

interface DescribedOperation extends Signature {
  model: OperationModel;
  name: string;
  /** Overload signatures (a stream switch: streaming, JSON, either); empty for a single signature. */
  overloads: Signature[];
  docs: JSDocStructure[];
  types: TypeAliasDeclarationStructure[];
  fn: FunctionDeclarationStructure;
}

function describe(op: OperationModel, name: string): DescribedOperation {
  const typeBase = pascalCase(name);
  const opType = `$paths[${stringLiteral(op.path)}][${stringLiteral(op.specMethod)}]`;
  const paramsType = `${typeBase}Params`;
  const resultType = `${typeBase}Result`;
  const eventType = `${typeBase}Event`;
  const sseResponse = eventStreamResponse(op);

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
    { name: "options", type: op.stream === undefined && sseResponse ? "$RequestOptions & $StreamOptions" : "$RequestOptions", hasQuestionToken: true },
  ];
  const docs = [operationDocs(op)];
  const streamType = `$EventStream<${eventType}>`;
  const overloads: Signature[] = [];
  let returnType = `Promise<${resultType}>`;
  if (op.stream && op.paramsShape === "merged") {
    const { property, value, byDefault } = op.stream;
    const key = propertyName(property);
    const withParams = (type: string, optional: boolean, options = "$RequestOptions") =>
      parameters.map((p) => (p.name === "params" ? { ...p, type, hasQuestionToken: optional } : p.name === "options" ? { ...p, type: options } : p));
    const streamParams = `${paramsType} & { ${key}${byDefault ? "?" : ""}: ${stringLiteral(value)} }`;
    const jsonParams = `${paramsType} & { ${key}${byDefault ? "" : "?"}: Exclude<${paramsType}[${stringLiteral(property)}], ${stringLiteral(value)} | undefined> }`;
    overloads.push(
      { parameters: withParams(streamParams, !op.paramsRequired && byDefault, "$RequestOptions & $StreamOptions"), returnType: `Promise<${streamType}>` },
      { parameters: withParams(jsonParams, false), returnType: `Promise<${resultType}>` },
      { parameters: withParams(paramsType, !op.paramsRequired, "$RequestOptions & $StreamOptions"), returnType: `Promise<${resultType} | ${streamType}>` },
    );
    returnType = `Promise<${resultType} | ${streamType}>`;
    parameters.splice(parameters.length - 1, 1, { name: "options", type: "$RequestOptions & $StreamOptions", hasQuestionToken: true });
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
  if (sseResponse) {
    const status = /^\d+$/.test(sseResponse.status) ? sseResponse.status : stringLiteral(sseResponse.status);
    const sseType = sseResponse.contentTypes.find((t) => /^text\/event-stream/i.test(t))!;
    types.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: eventType,
      docs: [`One event of the stream \`${name}\` returns${sseResponse.typedEvents ? "" : " (the spec does not describe the events)"}.`],
      type: sseResponse.typedEvents ? `${opType}["responses"][${status}]["content"][${stringLiteral(sseType)}]` : "Record<string, unknown>",
    });
  }

  const spec: OperationSpec = {
    method: op.method,
    path: op.path,
    query: op.query.map((p) => p.name),
    ...(op.query.some((p) => p.style) && { queryStyles: Object.fromEntries(op.query.flatMap((p) => (p.style ? [[p.name, p.style]] : []))) }),
    header: op.header.map((p) => p.name),
    ...(op.body && { body: op.body.encoding, bodyRequired: op.body.required }),
    params: op.paramsShape === "split" ? "split" : "merged",
    response: responseKind(op.success),
    ...(op.stream && { stream: { property: op.stream.property, value: op.stream.value, byDefault: op.stream.byDefault } }),
  };
  const pathObject = pathArgs.length === 0 ? "{}" : `{ ${pathArgs.map(({ param, arg }) => `${propertyName(param.name)}: ${arg}`).join(", ")} }`;
  const fn: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    isExported: true,
    name,
    // With overloads, editors show the overloads' docs; the implementation needs none.
    docs: overloads.length > 0 ? [] : docs,
    parameters: [{ name: "config", type: "$ClientContext" }, ...parameters],
    returnType,
    overloads: overloads.map((o) => ({ docs, parameters: [{ name: "config", type: "$ClientContext" }, ...o.parameters], returnType: o.returnType })),
    statements: [`return $call(config, ${dataLiteral(spec)}, ${pathObject}, params, options${sseResponse ? ", $openEventStream" : ""}) as ${returnType};`],
  };
  return { model: op, name, parameters, returnType, overloads, docs, types, fn };
}

/** The success response that can be an event stream, if any (the facade then passes the SSE reader to the runtime). */
function eventStreamResponse(op: OperationModel): ResponseModel | undefined {
  return op.stream?.response ?? op.success.find((r) => r.kind === "sse");
}

function paramsTypeOf(op: OperationModel, opType: string): string {
  const query = op.query.length > 0 ? `NonNullable<${opType}["parameters"]["query"]>` : undefined;
  const header = op.header.length > 0 ? `NonNullable<${opType}["parameters"]["header"]>` : undefined;
  const body = op.body ? `NonNullable<${opType}["requestBody"]>["content"][${stringLiteral(op.body.mediaType)}]` : undefined;
  if (op.paramsShape === "none") return "Record<string, never>";
  if (op.paramsShape === "merged") return [query, header, body].filter(Boolean).join(" & ");
  const optional = (required: boolean) => (required ? "" : "?");
  const members = [
    query && `query${optional(op.query.some((p) => p.required))}: ${query}`,
    header && `header${optional(op.header.some((p) => p.required))}: ${header}`,
    body && `body${optional(op.body!.required)}: ${body}`,
  ];
  return `{ ${members.filter(Boolean).join("; ")} }`;
}

function resultTypeOf(op: OperationModel, opType: string, streamType: string): string {
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

/** The kind the runtime reads: the first success response that has content decides. */
function responseKind(success: readonly ResponseModel[]): OperationSpec["response"] {
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

function clientClass(
  input: FacadeInput,
  names: { client: string; baseUrl: string },
  ops: readonly DescribedOperation[],
): ClassDeclarationStructure {
  const methods: MethodDeclarationStructure[] = ops.map((op) => ({
    kind: StructureKind.Method,
    name: op.name,
    docs: op.overloads.length > 0 ? [] : op.docs,
    parameters: op.parameters,
    returnType: op.returnType,
    overloads: op.overloads.map((o) => ({ docs: op.docs, parameters: o.parameters, returnType: o.returnType })),
    statements: [`return ${op.name}(this.#config, ${op.parameters.map((p) => p.name).join(", ")});`],
  }));
  return {
    kind: StructureKind.Class,
    isExported: true,
    name: names.client,
    docs: [`${input.title ? `${docText(input.title)}: o` : "O"}ne method per operation of the API.`],
    properties: [{ name: "#config", isReadonly: true, type: "$ClientContext" }],
    ctors: [{ parameters: [{ name: "options", type: "$ClientOptions" }], statements: [`this.#config = $createContext(options, { baseUrl: ${names.baseUrl} });`] }],
    methods,
  };
}
