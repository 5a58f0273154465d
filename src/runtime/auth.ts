/**
 * How a client authenticates: the spec's security schemes (the generator reads
 * them into the facade) applied to each request with the credentials the
 * client was created with. Dify's clients are one case: HTTP bearer with
 * `{ apiKey }`. OpenAPI 3 §4.8.27-30: a request satisfies one requirement of
 * the list, and every scheme of that requirement.
 */
import { keyRedactor } from "./redact.js";

/** One security scheme, as the generator reads it (oauth2 and openIdConnect send their token as a bearer). */
export type AuthScheme =
  | { readonly type: "bearer" }
  | { readonly type: "basic" }
  | { readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly name: string };

/** Alternatives (any one suffices), each the schemes used together; an empty one means "no credentials". */
export type Security = readonly (readonly AuthScheme[])[];

/** What `bearer` means when a facade passes no security (the runtime's first clients were all bearer). */
export const BEARER: Security = [[{ type: "bearer" }]];

export interface Credentials {
  apiKey?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

export interface Authorizer {
  /** Sets the credentials on an outgoing request's headers and query. */
  apply(headers: Headers, query: Record<string, unknown>): void;
  /** Removes every credential (and fragments of the API key) from text. */
  redact(text: string): string;
}

export interface AuthContext {
  /** `createChatflowClient`, for messages. */
  client: string;
  /** Where the key comes from, for messages ("the app's API key (Dify: the app → API Access)"). */
  keyHelp: string | undefined;
}

/** What `createContext` builds its authorizer with (ApiDefaults.authorizer). */
export type AuthorizerFactory = (security: Security, credentials: Credentials, where: AuthContext) => Authorizer;

/**
 * Any security: every scheme, alternatives, HTTP Basic. Facades whose spec needs more than a bearer
 * token pass it (ApiDefaults.authorizer), so a bearer-only bundle (Dify's) carries only `bearerAuthorizer`.
 */
export const createAuthorizer: AuthorizerFactory = (security, credentials, where) => {
  const hasKey = typeof credentials.apiKey === "string" && credentials.apiKey.trim() !== "";
  const hasBasic = typeof credentials.username === "string" && typeof credentials.password === "string";
  const satisfied = (alternative: readonly AuthScheme[]) => alternative.every((s) => (s.type === "basic" ? hasBasic : hasKey));
  // The first alternative the credentials satisfy; "none" only when no credentials were given for another.
  const chosen = security.find((alternative) => alternative.length > 0 && satisfied(alternative)) ?? security.find((alternative) => alternative.length === 0);
  if (!chosen) throw missing(security, where);
  const schemes = chosen;
  if (schemes.some((s) => s.type !== "basic")) checkHeaderSafe(credentials.apiKey!);
  if (schemes.some((s) => s.type === "basic") && credentials.username!.includes(":")) {
    throw new TypeError("username must not contain \":\" (HTTP Basic authentication joins username and password with it)");
  }
  const apiKey = credentials.apiKey;
  const basic = hasBasic ? `Basic ${base64(`${credentials.username}:${credentials.password}`)}` : undefined;
  const redactKey = apiKey ? keyRedactor(apiKey) : (text: string) => text;
  const secrets = [basic?.slice("Basic ".length), credentials.password].filter((s): s is string => typeof s === "string" && s.length >= 4);
  return {
    apply(headers, query) {
      for (const scheme of schemes) {
        if (scheme.type === "bearer") headers.set("Authorization", `Bearer ${apiKey}`);
        else if (scheme.type === "basic") headers.set("Authorization", basic!);
        else if (scheme.in === "header") headers.set(scheme.name, apiKey!);
        else if (scheme.in === "query") query[scheme.name] = apiKey;
        else headers.set("Cookie", [headers.get("Cookie"), `${scheme.name}=${encodeURIComponent(apiKey!)}`].filter(Boolean).join("; "));
      }
    },
    redact(text) {
      let out = redactKey(text);
      for (const secret of secrets) out = out.split(secret).join("[redacted]");
      return out;
    },
  };
};

/** `createAuthorizer` for BEARER alone (what it does then, in less code): `createContext`'s default. */
export const bearerAuthorizer: AuthorizerFactory = (security, credentials, where) => {
  if (security.length !== 1 || security[0]!.length !== 1 || security[0]![0]!.type !== "bearer") {
    throw new TypeError(`${where.client}: this security needs more than a bearer token: pass createAuthorizer as createContext's defaults.authorizer`);
  }
  const apiKey = credentials.apiKey;
  if (typeof apiKey !== "string" || apiKey.trim() === "") throw missingKey(where);
  checkHeaderSafe(apiKey);
  return { apply: (headers) => headers.set("Authorization", `Bearer ${apiKey}`), redact: keyRedactor(apiKey) };
};

function missing(security: Security, where: AuthContext): TypeError {
  const wantsKey = security.some((alternative) => alternative.some((s) => s.type !== "basic"));
  return wantsKey ? missingKey(where) : new TypeError(`username and password are missing: pass ${where.client}({ username, password }) for HTTP Basic authentication`);
}

function missingKey(where: AuthContext): TypeError {
  return new TypeError(`apiKey is missing or empty: pass ${where.client}({ apiKey }) ${where.keyHelp || "the API's key"}`);
}

/** A newline or NUL would fail later, in a Headers TypeError that quotes the key; say so now, without quoting it. */
function checkHeaderSafe(apiKey: string): void {
  const bad = /[^\x21-\x7e]/.exec(apiKey);
  if (!bad) return;
  const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  throw new TypeError(
    `apiKey contains a character that cannot be sent in an HTTP header (U+${code} at position ${bad.index}): copy the key again, without spaces or line breaks`,
  );
}

/** UTF-8, then base64 (RFC 7617), with what every runtime has (btoa takes Latin-1 only). */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
