/**
 * An independent opinion on whether a spec the generator refused is actually
 * invalid: only then is the refusal a "clean error". It checks the MUSTs of
 * OpenAPI 3.0/3.1 that make a document unusable for generating a client, not
 * style (Redocly's full `struct` rule flags an integer `info.version` or a
 * response without `description`, which real APIs ship and a generator must
 * accept). $ref resolution and operationId uniqueness are Redocly's rules, so
 * the judge does not share the generator's own ref code. External references
 * count as invalid here: they are never followed (no disk, no network), so
 * the document is not self-contained.
 */
import { BaseResolver, createConfig, lintDocument, makeDocumentFromString, type NormalizedProblem } from "@redocly/openapi-core";
import { parseDocument } from "yaml";

class NoExternalRefs extends BaseResolver {
  override async loadExternalRef(absoluteRef: string): Promise<never> {
    throw new Error(`external reference ${absoluteRef} is not followed`);
  }
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Why the document is invalid, or undefined when none of the checked MUSTs is broken. */
export async function invalidity(text: string, file: string): Promise<string | undefined> {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) return `not valid YAML or JSON (${doc.errors[0]!.message.split("\n")[0]})`;
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (!isRecord(data)) return "the top level is not a mapping";
  if (data["swagger"] !== undefined) return `Swagger ${String(data["swagger"])}, not OpenAPI 3`;
  const version = data["openapi"];
  if (typeof version !== "string" || !/^3\.[01]\.\d+/.test(version)) return `openapi field ${JSON.stringify(version)} is not 3.0.x or 3.1.x`;
  const v31 = version.startsWith("3.1");
  if (!v31 && !isRecord(data["paths"])) return "OpenAPI 3.0 requires `paths`";
  if (v31 && !["paths", "components", "webhooks"].some((key) => isRecord(data[key]))) return "OpenAPI 3.1 requires one of `paths`, `components`, `webhooks`";
  const servers = Array.isArray(data["servers"]) ? data["servers"] : [];
  if (servers.some((s) => !isRecord(s) || typeof s["url"] !== "string")) return "a server has no `url`";
  for (const [path, item] of Object.entries(isRecord(data["paths"]) ? data["paths"] : {})) {
    if (!path.startsWith("/")) return `path ${JSON.stringify(path)} does not start with "/"`;
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (isRecord(op) && !v31 && !isRecord(op["responses"])) return `${method.toUpperCase()} ${path} has no \`responses\` (required in 3.0)`;
    }
  }

  const config = await createConfig({
    extends: [],
    rules: { struct: "error", "no-unresolved-refs": "error", "operation-operationId-unique": "error", "operation-parameters-unique": "error" },
  });
  const problems = await lintDocument({
    document: makeDocumentFromString(text, `/corpus/${file}`),
    config: config.styleguide,
    externalRefResolver: new NoExternalRefs(),
  });
  const fatal = problems.find((p) => p.severity === "error" && (p.ruleId !== "struct" || isFatalStructure(p)));
  return fatal && `${fatal.ruleId}: ${fatal.message} (at ${fatal.location[0]?.pointer ?? "#"})`;
}

/** Struct problems that leave nothing to generate from: a parameter without `name`/`in`, a wrong `in`. */
function isFatalStructure(problem: NormalizedProblem): boolean {
  const pointer = problem.location[0]?.pointer ?? "";
  return /\/parameters\/\d+$/.test(pointer) && /`(name|in)`/.test(problem.message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
