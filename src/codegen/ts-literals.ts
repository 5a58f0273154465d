/**
 * The only way spec text enters generated code: as string literals and
 * comment text that cannot close or escape their context.
 */

/** A TypeScript string literal for any text (quotes, backslashes, newlines, U+2028/2029 escaped). */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Text safe inside a JSDoc block: cannot end the comment, and keeps tags from the spec inert. */
export function docText(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .replace(/\*\//g, "*\\/")
    // ts-morph's writer tracks comment state and closes a "/*" it sees inside our JSDoc.
    .replace(/\/\*/g, "/\\*")
    .replace(/^(\s*)@/gm, "$1\\@")
    .trim();
}

/** A property name: bare when it is a plain identifier, quoted otherwise. */
export function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}

/** Plain data (strings, numbers, booleans, arrays, objects) as a TypeScript literal; `undefined` is written out. */
export function dataLiteral(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(dataLiteral).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? "{}" : `{ ${entries.map(([key, item]) => `${propertyName(key)}: ${dataLiteral(item)}`).join(", ")} }`;
}
