/**
 * Method names are public API. The rule: the operation's summary in camelCase
 * ("Delete Conversation" → deleteConversation); without a usable summary, the
 * operationId; without that, the HTTP method and the path's literal segments.
 * Once chosen, a name is frozen in the name lock (see name-lock.ts).
 */

/** Words no method or parameter may be called, and names that break objects or classes. */
const RESERVED = new Set([
  // ECMAScript reserved words, strict-mode and contextual ones included
  "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
  "enum", "export", "extends", "false", "finally", "for", "function", "if", "implements", "import", "in",
  "instanceof", "interface", "let", "new", "null", "package", "private", "protected", "public", "return",
  "static", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield",
  "arguments", "eval", "undefined", "NaN", "Infinity",
  // TypeScript type keywords that cannot name a type or value
  "any", "boolean", "never", "number", "object", "string", "symbol", "unknown", "bigint", "type", "as",
  // members that would break a class or an object used as a map
  "constructor", "prototype", "__proto__", "toString", "valueOf", "hasOwnProperty",
]);

/** Summaries longer than this are sentences, not names. */
const MAX_SUMMARY_WORDS = 8;

export function isValidMethodName(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED.has(name);
}

/** Splits text into ASCII words: "getWebApp settings" → ["get", "Web", "App", "settings"]. */
function words(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "") // drop accents: "Créer" → "Creer", not "Cre" + "er"
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

export function camelCase(text: string): string {
  return words(text)
    .map((word, i) => {
      const lower = word.toLowerCase();
      return i === 0 ? lower : lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join("");
}

export function pascalCase(text: string): string {
  const camel = camelCase(text);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** Makes any camelCase candidate a valid, non-reserved identifier. */
export function safeIdentifier(candidate: string, fallback: string): string {
  let name = candidate === "" ? fallback : candidate;
  if (/^[0-9]/.test(name)) name = `${fallback}${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  if (RESERVED.has(name)) name = `${name}Operation`;
  return name;
}

export interface NamingInput {
  method: string;
  path: string;
  summary: string | undefined;
  operationId: string | undefined;
}

/** The name the rule gives an operation, before uniqueness is enforced. */
export function deriveMethodName(op: NamingInput): string {
  const summaryWords = op.summary ? words(op.summary) : [];
  if (summaryWords.length > 0 && summaryWords.length <= MAX_SUMMARY_WORDS) {
    return safeIdentifier(camelCase(op.summary ?? ""), op.method.toLowerCase());
  }
  if (op.operationId && words(op.operationId).length > 0) {
    return safeIdentifier(camelCase(op.operationId), op.method.toLowerCase());
  }
  const segments = op.path.split("/").filter((s) => s !== "" && !s.startsWith("{"));
  return safeIdentifier(camelCase([op.method.toLowerCase(), ...segments].join(" ")), op.method.toLowerCase());
}

/** `name`, or `name2`, `name3`, … : the first one not taken. */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 2; ; i++) if (!taken.has(`${name}${i}`)) return `${name}${i}`;
}
