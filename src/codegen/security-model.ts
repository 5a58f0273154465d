/**
 * The spec's security as the runtime applies it (src/runtime/auth.ts): the
 * requirement alternatives, each a list of schemes, and which credentials the
 * client's options must therefore hold.
 * OpenAPI 3 §4.8.27 (Security Scheme Object), §4.8.30 (Security Requirement Object).
 */
import type { AuthScheme, Security } from "../runtime/auth.js";
import type { CredentialKind } from "../runtime/options.js";
import { isObject, resolve } from "./refs.js";
import type { SpecDocument } from "./spec-document.js";

export interface SecurityModel {
  security: Security;
  credentials: CredentialKind;
}

/** The document's top-level requirements, else the first operation's (APIs that declare it per operation), else none. */
export function buildSecurityModel(spec: SpecDocument): SecurityModel {
  const schemes = isObject(spec.data.components?.["securitySchemes"]) ? spec.data.components["securitySchemes"] : {};
  const requirements = Array.isArray(spec.data["security"]) ? spec.data["security"] : firstOperationSecurity(spec);
  const security: AuthScheme[][] = [];
  for (const requirement of requirements ?? []) {
    if (!isObject(requirement)) continue;
    const alternative: AuthScheme[] = [];
    let usable = true;
    for (const name of Object.keys(requirement)) {
      const scheme = schemeOf(spec, schemes[name], name);
      if (scheme === null) continue; // mutualTLS: the transport's business, nothing to send
      if (scheme === undefined) usable = false;
      else alternative.push(scheme);
    }
    if (usable && !security.some((s) => JSON.stringify(s) === JSON.stringify(alternative))) security.push(alternative);
  }
  if (security.length === 0) security.push([]);
  return { security, credentials: credentialKind(security) };
}

function firstOperationSecurity(spec: SpecDocument): unknown[] | undefined {
  for (const item of Object.values(spec.data.paths ?? {})) {
    if (!isObject(item)) continue;
    for (const op of Object.values(item)) if (isObject(op) && Array.isArray(op["security"])) return op["security"];
  }
  return undefined;
}

/** undefined: a scheme the client cannot send (unknown name or type); null: one it need not (mutualTLS). */
function schemeOf(spec: SpecDocument, raw: unknown, name: string): AuthScheme | null | undefined {
  if (raw === undefined) return undefined;
  const { value } = resolve(spec, raw, ["components", "securitySchemes", name]);
  if (!isObject(value)) return undefined;
  const type = value["type"];
  if (type === "http") {
    const scheme = typeof value["scheme"] === "string" ? value["scheme"].toLowerCase() : "";
    if (scheme === "basic") return { type: "basic" };
    return scheme === "bearer" ? { type: "bearer" } : undefined;
  }
  if (type === "apiKey" && typeof value["name"] === "string" && (value["in"] === "header" || value["in"] === "query" || value["in"] === "cookie")) {
    return { type: "apiKey", in: value["in"], name: value["name"] };
  }
  // An OAuth 2 or OpenID Connect access token is sent as a bearer token; getting one is the app's business.
  if (type === "oauth2" || type === "openIdConnect") return { type: "bearer" };
  if (type === "mutualTLS") return null;
  return undefined;
}

function credentialKind(security: Security): CredentialKind {
  if (security.some((alternative) => alternative.length === 0)) return "none";
  const needs = security.map((alternative) => (alternative.some((s) => s.type === "basic") ? (alternative.every((s) => s.type === "basic") ? "basic" : "both") : "apiKey"));
  if (needs.every((n) => n === "apiKey")) return "apiKey";
  if (needs.every((n) => n === "basic")) return "basic";
  return "any";
}
