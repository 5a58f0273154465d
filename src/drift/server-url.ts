/**
 * The default server URL the facade bakes in (`chatflowDefaultBaseUrl`): the
 * first server's URL with its variables set to their defaults. The same rule
 * as src/codegen/generate.ts, which keeps its copy private.
 */
import type { SpecDocument } from "../codegen/spec-document.js";

export function defaultServerUrl(spec: SpecDocument): string {
  const server = spec.data.servers?.[0];
  if (!server || typeof server.url !== "string") return "http://localhost";
  return server.url.replace(/\{([^{}]+)\}/g, (match, name: string) => server.variables?.[name]?.default ?? match);
}
