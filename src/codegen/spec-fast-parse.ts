/**
 * The spec's data without `yaml`'s document model, which costs 5–15× a plain parse
 * and several times the spec's size in memory: JSON through JSON.parse, YAML through
 * js-yaml with `yaml`'s YAML 1.2 core schema. Positions are `yaml`'s job, asked only
 * when a message needs one (spec-document.ts).
 *
 * Returns undefined whenever `yaml` might read the text differently (an error, a
 * duplicate key, an anchor, a tag, a directive, a complex or null key, deep nesting):
 * the caller then parses with `yaml` as before, so every accepted document reads the
 * same and every refused one fails with the same `file:line:col` message.
 */
import { FAILSAFE_SCHEMA, load, Type } from "js-yaml";

/**
 * `yaml`'s core schema (yaml/dist/schema/core), in its order, for plain scalars. The tags
 * are private: an explicit `!!int` finds no type here, so js-yaml refuses it and `yaml` reads it.
 */
const CORE_SCALARS: readonly (readonly [test: RegExp, resolve: (s: string) => unknown])[] = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === "t" || s[0] === "T"],
  [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
  [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
  [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
  [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? -Infinity : Infinity)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
];

const CORE_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: CORE_SCALARS.map(([test, resolve], i) => new Type(`tag:dify-codegen,core-${i}`, { kind: "scalar", resolve: (s: string) => test.test(s), construct: resolve })),
});

/** Deeper than this, `yaml` may run out of stack ("nested too deeply"); real specs stay far below. */
const MAX_FAST_DEPTH = 200;

/** A key js-yaml makes of a null key (`~:`, which `yaml` reads as ""), or of a sequence or mapping key. */
const DOUBTFUL_KEY = /^(null|\[object Object\])$/;

/**
 * A YAML line with an explicit key (`? `), a flow collection as a key (`[a]: `, `{[a]: b}`), a directive,
 * or an indentation tab: `yaml` decides those. Also matches some text in descriptions; they
 * are only read the slow way.
 */
const DOUBTFUL_YAML = /^\s*(- +)*(\?(\s|$)|[[{].*[\]}]\s*:(\s|$))|[{,]\s*[[{].*[\]}]\s*:(\s|$)|^%|^\t/m;

/** What js-yaml's listener sees of a node (its typings name only `position`, `kind` and `result`). */
type ListenerState = { position: number; kind: string | null; anchor?: string | null; tag?: string | null };

export interface FastParse {
  data: unknown;
  /** The longest source span of one line or scalar: an upper bound of `yaml`'s longest token (JSON's strings are on one line). */
  longestToken: number;
}

export function parseFast(text: string, maxToken: number): FastParse | undefined {
  const json = /^\s*[{[]/.test(text);
  // A line near the limit may be one token over it: `yaml`'s lexer decides, before anything is parsed.
  const longest = longestLine(text);
  if (longest > maxToken / 2 || (!json && DOUBTFUL_YAML.test(text))) return undefined;
  let longestScalar = 0;
  let doubtful = false;
  const open: number[] = [];
  let data: unknown;
  try {
    data = json
      ? JSON.parse(text)
      : load(text, {
          schema: CORE_SCHEMA,
          // Each node's source span, and whether one has an anchor or an explicit tag (js-yaml shares an
          // alias's object without `yaml`'s expansion budget; a tag may resolve differently).
          listener(event, state: ListenerState) {
            if (event === "open") {
              open.push(state.position);
              return;
            }
            const start = open.pop()!;
            if (state.anchor != null || (state.tag != null && !state.tag.startsWith("tag:dify-codegen,") && state.tag !== "?")) doubtful = true;
            if (state.kind === "scalar" && state.position - start > longestScalar) longestScalar = state.position - start;
          },
        });
  } catch {
    return undefined;
  }
  const keys = doubtful ? -1 : plainKeyCount(data, 0);
  if (keys < 0 || (json && duplicateKeysIn(text, keys))) return undefined;
  return { data, longestToken: Math.max(longestScalar, longest) };
}

/**
 * How many keys `data` has (for duplicateKeysIn), or -1 when it is deeper than `yaml` surely parses or
 * has a key js-yaml may have made differently: one walk for both questions.
 */
function plainKeyCount(node: unknown, depth: number): number {
  if (typeof node !== "object" || node === null) return 0;
  if (depth > MAX_FAST_DEPTH) return -1;
  let count = 0;
  if (Array.isArray(node)) {
    for (const item of node) {
      const below = plainKeyCount(item, depth + 1);
      if (below < 0) return -1;
      count += below;
    }
    return count;
  }
  for (const key in node) {
    const below = DOUBTFUL_KEY.test(key) ? -1 : plainKeyCount((node as Record<string, unknown>)[key], depth + 1);
    if (below < 0) return -1;
    count += 1 + below;
  }
  return count;
}

/**
 * JSON.parse keeps the last of repeated keys, where `yaml` refuses them: a key in the source is
 * an unescaped `"` followed by `:`, so fewer keys parsed (`parsed`) than written means a repeat.
 */
function duplicateKeysIn(text: string, parsed: number): boolean {
  let written = 0;
  for (const match of text.matchAll(/"[ \t\r\n]*:/g)) {
    let backslashes = 0;
    for (let i = match.index - 1; text.charCodeAt(i) === 92; i--) backslashes++;
    if (backslashes % 2 === 0) written++;
  }
  return written !== parsed;
}

function longestLine(text: string): number {
  let longest = 0;
  let start = 0;
  for (let end = text.indexOf("\n"); ; end = text.indexOf("\n", start)) {
    const stop = end === -1 ? text.length : end;
    if (stop - start > longest) longest = stop - start;
    if (end === -1) return longest;
    start = end + 1;
  }
}
