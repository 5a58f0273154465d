/**
 * Emits a spec's TypeScript files with ts-morph structures, each in one bulk
 * `createSourceFile` call: names come from the name lock (valid identifiers by
 * construction), every spec string goes through `stringLiteral`/`docText`, and
 * every type is an indexed access into openapi-typescript's `paths`.
 *
 * One client (a spec without memberships): `client.ts` holds the operations
 * and the facade. Several clients (memberships say which operations each has):
 * `operations.ts` holds every operation once, and `<client>.ts` one facade per
 * client, importing only its own operations, so a bundle of one client carries
 * no other client's code.
 */
import { printStructure, StructureKind, VariableDeclarationKind } from "./ts-morph-typescript.js"; // ts-morph on the project's TypeScript
import type { ClassDeclarationStructure, MethodDeclarationStructure, StatementStructures } from "ts-morph";
import { describe, operationStatements, type DescribedOperation } from "./emit-operations.js";
import { pascalCase } from "./naming.js";
import type { OperationModel } from "./operation-model.js";
import type { Security } from "../runtime/auth.js";
import type { SecurityModel } from "./security-model.js";
import { dataLiteral, docText, stringLiteral } from "./ts-literals.js";

export interface FacadeClient {
  /** Client name in camelCase, e.g. "chatflow" → ChatflowClient, createChatflowClient, chatflowOperations. */
  name: string;
  /** Where its API key comes from, for the runtime's messages ("the app's API key (Dify: …)"). */
  keyHelp?: string | undefined;
  /** Operation keys ("DELETE /conversations/{conversation_id}") the client exposes. */
  operations: readonly string[];
  /** What the client is for, for its doc comment (e.g. which API key it takes). */
  docs?: string | undefined;
}

export interface EmitInput {
  /** API title, for the clients' doc comments. */
  title: string | undefined;
  defaultBaseUrl: string;
  /** Every operation of the spec, in output order. */
  operations: readonly OperationModel[];
  /** Operation key → method name (from the name lock). */
  names: ReadonlyMap<string, string>;
  /** One entry: a single `client.ts`. Several: `operations.ts` and one file per client. */
  clients: readonly FacadeClient[];
  /** Whether the clients come from memberships (one file per client) or the spec is one client. */
  split: boolean;
  /** How the clients authenticate (the spec's security schemes). */
  security: SecurityModel;
  /** Module specifier of the runtime, relative to the output folder. */
  runtimeImport: string;
  /** Module specifier of the schema types, e.g. "./schema.js". */
  schemaImport: string;
}

/** Module-level names of a client's facade; operation names must not take them. */
export function facadeExportNames(clientName: string): string[] {
  const { client, create, config, createConfig, operations, baseUrl } = facadeNames(clientName);
  // Also the import aliases ($call, …) and the facade's own `$defaults`: a lock entry may name anything that is an
  // identifier. And the names whose `$<name>` info would be one of them (an operation `call` would declare `$call`).
  // `request` is the class's escape hatch: no operation may take it either.
  const aliases = ["$paths", "$defaults", ...RUNTIME_IMPORTS.map(([alias]) => alias)];
  return [operations, baseUrl, create, createConfig, client, config, "request", ...aliases, ...aliases.map((alias) => alias.slice(1))];
}

function facadeNames(clientName: string) {
  const pascal = pascalCase(clientName);
  return {
    client: `${pascal}Client`,
    create: `create${pascal}Client`,
    config: `${pascal}Config`,
    createConfig: `create${pascal}Config`,
    operations: `${clientName}Operations`,
    baseUrl: `${clientName}DefaultBaseUrl`,
  };
}

/** The file name each client's facade is written to. */
export function facadeFileName(client: string, split: boolean): string {
  return split ? `${client}.ts` : "client.ts";
}

/** File name (relative to the output folder) → content, without the generated header. */
export function emitClientFiles(input: EmitInput): Map<string, string> {
  // One client.ts: the class methods carry the docs and the functions link to them (each text once per file).
  const single = facadeNames(input.clients[0]!.name);
  const docsOn = input.split ? undefined : { className: single.client, createConfig: single.createConfig };
  const emitted = new Map(input.operations.map((op) => [op.key, input.names.get(op.key)!]));
  const options = { ...(docsOn && { docsOn }), exportInfo: input.split, names: emitted };
  const described = new Map(input.operations.map((op) => [op.key, describe(op, input.names.get(op.key)!, options)]));
  const all = [...described.values()];
  const files = new Map<string, string>();
  const clientOps = (client: FacadeClient) => all.filter((op) => client.operations.includes(op.model.key));

  if (!input.split) {
    const [client] = input.clients;
    const body = [...operationStatements(all), ...facadeStatements(input, client!, clientOps(client!))];
    files.set(facadeFileName(client!.name, false), print(input, body));
    return files;
  }
  files.set("operations.ts", print(input, operationStatements(all)));
  for (const client of input.clients) {
    const ops = clientOps(client);
    const typeNames = ops.flatMap((op) => op.types.map((t) => t.name));
    const used = signatureIdentifiers(ops);
    // Imported: the functions the class calls, the `$<name>` infos its index holds and the types its signatures
    // name. Re-exported: all of its operations.
    const head: StatementStructures[] = ops.length === 0 ? [] : [
      {
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier: "./operations.js",
        namedImports: [...ops.map((op) => op.name), ...ops.map((op) => op.infoName), ...typeNames.filter((name) => used.has(name)).map((name) => ({ name, isTypeOnly: true }))],
      },
      {
        kind: StructureKind.ExportDeclaration,
        moduleSpecifier: "./operations.js",
        namedExports: [...ops.map((op) => op.name), ...typeNames.map((name) => ({ name, isTypeOnly: true }))],
      },
    ];
    files.set(facadeFileName(client.name, true), print(input, facadeStatements(input, client, ops), head));
  }
  return files;
}

/** The identifiers the class's method signatures use (so only those types are imported). */
function signatureIdentifiers(ops: readonly DescribedOperation[]): Set<string> {
  const text = ops.flatMap((op) => [op, ...op.overloads]).flatMap((s) => [s.returnType, ...s.parameters.map((p) => String(p.type))]).join(" ");
  return new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []);
}

/** Everything generated code may import from the runtime, as `alias: [name, type-only]`. */
const RUNTIME_IMPORTS: readonly (readonly [alias: string, name: string, typeOnly: boolean])[] = [
  ["$call", "callOperation", false],
  ["$createContext", "createContext", false],
  ["$openEventStream", "openEventStream", false],
  ["$paginate", "paginate", false],
  ["$ApiPromise", "ApiPromise", true],
  ["$PagePromise", "PagePromise", true],
  ["$openResumableEventStream", "openResumableEventStream", false],
  ["$textBody", "textBody", false],
  ["$formBody", "formBody", false],
  ["$multipartBody", "multipartBody", false],
  ["$binaryBody", "binaryBody", false],
  ["$cookieHeader", "cookieHeader", false],
  ["$createAuthorizer", "createAuthorizer", false],
  ["$OperationSpec", "OperationSpec", true],
  ["$ApiDefaults", "ApiDefaults", true],
  ["$CheckedClientOptions", "CheckedClientOptions", true],
  ["$EventStream", "EventStream", true],
  ["$StreamOptions", "StreamOptions", true],
  ["$ResumeOptions", "ResumeOptions", true],
  ["$ClientContext", "ClientContext", true],
  ["$OperationInfo", "OperationInfo", true],
  ["$RequestOptions", "RequestOptions", true],
  ["$sendRequest", "sendRequest", false],
  ["$RequestMethod", "RequestMethod", true],
];

/** The file: imports of exactly the schema and runtime names its body uses (consumers may set noUnusedLocals), then the body. */
function print(input: EmitInput, body: StatementStructures[], head: StatementStructures[] = []): string {
  const text = printStatements(body);
  const uses = (alias: string) => new RegExp(`(^|[^\\w$])${alias.replace(/\$/g, "\\$")}\\b`).test(text);
  const runtime = RUNTIME_IMPORTS.filter(([alias]) => uses(alias));
  const imports: StatementStructures[] = [];
  if (uses("$paths")) imports.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: input.schemaImport, namedImports: [{ name: "paths", alias: "$paths" }] });
  if (runtime.length > 0) {
    imports.push({
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: input.runtimeImport,
      namedImports: runtime.map(([alias, name, isTypeOnly]) => ({ name, alias, isTypeOnly })),
    });
  }
  // The body is printed once; the imports, chosen from it, go above it.
  return `${printStatements([...imports, ...head])}${text}`;
}

function facadeStatements(input: EmitInput, client: FacadeClient, ops: readonly DescribedOperation[]): StatementStructures[] {
  const names = facadeNames(client.name);
  return [
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
      docs: [`Every operation of \`${names.client}\`: method name → HTTP method, path template and operationId.`],
      declarations: [
        {
          name: names.operations,
          initializer: (writer) => {
            writer.write("{").newLine();
            writer.indent(() => {
              for (const op of ops) writer.writeLine(`${op.name}: ${op.infoName},`);
            });
            writer.write(`} as const satisfies Readonly<Record<string, $OperationInfo>>`);
          },
        },
      ],
    },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      docs: ["What the runtime needs to know of the API: its default server and how requests authenticate."],
      declarations: [
        {
          name: "$defaults",
          // baseUrl names the exported constant; the rest is data from the spec and the config.
          // Anything but a bearer token alone needs the general authorizer; the runtime's default is bearer-only and small.
          initializer: `{ baseUrl: ${names.baseUrl}, security: ${dataLiteral(input.security.security)}${
            isBearerOnly(input.security.security) ? "" : ", authorizer: $createAuthorizer"
          }, client: ${stringLiteral(names.create)}${
            client.keyHelp === undefined ? "" : `, keyHelp: ${stringLiteral(client.keyHelp)}`
          } } satisfies $ApiDefaults`,
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
      docs: [`Configuration for the standalone operation functions (\`${ops[0]?.name ?? "operation"}(config, …)\`), which bundle only what they use.${clientDocs(client)}`],
      typeParameters: [{ name: "K", constraint: "string" }],
      parameters: [{ name: "options", type: optionsType(input, "K") }],
      returnType: names.config,
      statements: ["return $createContext(options, $defaults);"],
    },
    clientClass(input, client, names, ops),
    {
      kind: StructureKind.Function,
      isExported: true,
      name: names.create,
      docs: [`Creates a ${names.client}.${credentialsDoc(input.security)}${clientDocs(client)}`],
      typeParameters: [{ name: "K", constraint: "string" }],
      parameters: [{ name: "options", type: optionsType(input, "K") }],
      returnType: names.client,
      statements: [`return new ${names.client}(options);`],
    },
  ];
}

/** `$CheckedClientOptions<K>` for an API key (Dify's clients), with the credential kind otherwise. */
function optionsType(input: EmitInput, key: string): string {
  const kind = input.security.credentials;
  return kind === "apiKey" ? `$CheckedClientOptions<${key}>` : `$CheckedClientOptions<${key}, ${stringLiteral(kind)}>`;
}

function credentialsDoc(security: SecurityModel): string {
  switch (security.credentials) {
    case "apiKey":
      return " `apiKey` is required and must not be empty.";
    case "basic":
      return " `username` and `password` are required (HTTP Basic authentication).";
    case "any":
      return " Pass `apiKey`, or `username` and `password`: the API accepts either.";
    case "none":
      return "";
  }
}

function clientDocs(client: FacadeClient): string {
  return client.docs ? `\n\n${docText(client.docs)}` : "";
}

function clientClass(input: EmitInput, client: FacadeClient, names: { client: string; baseUrl: string }, ops: readonly DescribedOperation[]): ClassDeclarationStructure {
  const methods: MethodDeclarationStructure[] = ops.map((op) => ({
    kind: StructureKind.Method,
    name: op.name,
    docs: op.overloads.length > 0 ? [] : op.docs,
    parameters: op.parameters,
    returnType: op.returnType,
    overloads: op.overloads.map((o) => ({ docs: o.docs ?? [], parameters: o.parameters, returnType: o.returnType })),
    statements: [`return ${op.name}(this.#config, ${op.parameters.map((p) => p.name).join(", ")});`],
  }));
  const title = input.title ? `${docText(input.title)}: ` : "";
  return {
    kind: StructureKind.Class,
    isExported: true,
    name: names.client,
    docs: [`${title}${input.split ? `the operations of the ${client.name} client, one method each` : "one method per operation of the API"}.${clientDocs(client)}`],
    properties: [
      { name: "#config", isReadonly: true, type: "$ClientContext" },
      {
        name: "request",
        isReadonly: true,
        docs: [
          "The escape hatch: any operation of the spec by HTTP method and path, typed against the spec (`request(\"GET\", \"/path\", { path, query, header, body })`), or a path it does not document yet (untyped), with this client's auth, retries, timeouts, errors and redaction. The response is read by its Content-Type.",
        ],
        type: "$RequestMethod<$paths>",
        // Typed by $RequestMethod's two signatures; the implementation takes what both allow.
        initializer: "(method: string, path: string, params?: object, options?: object): never =>\n    $sendRequest(this.#config, method as never, path, params as never, options as never) as never",
      },
    ],
    ctors: [{ parameters: [{ name: "options", type: optionsType(input, "string") }], statements: ["this.#config = $createContext(options, $defaults);"] }],
    methods,
  };
}

/** Structures to text: ts-morph's printer alone, without the project and source file (a parse of the text) it would make. */
function printStatements(statements: StatementStructures[]): string {
  return printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
}

/** `[[{ type: "bearer" }]]`: what the runtime's default authorizer handles. */
function isBearerOnly(security: Security): boolean {
  return security.length === 1 && security[0]!.length === 1 && security[0]![0]!.type === "bearer";
}
