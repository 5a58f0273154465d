/**
 * Fits printed TypeScript (ours and openapi-typescript's) to MAX_LINE columns, so a
 * reviewer reads `generated/` diffs without scrolling. A deterministic pass over the
 * printed text, not a formatter: lines that fit are kept byte for byte (so a spec change
 * moves only the lines it touches), and only long lines are broken:
 * - JSDoc text is wrapped at spaces, keeping the ` * ` prefix and the line's indentation;
 *   never before a word a JSDoc or Markdown reader would take as a tag or a list item;
 * - code is broken at a top-level ` | ` / ` & ` of a type, else by putting the items of
 *   its outermost bracket pair one per line (the way prettier does), else by putting a
 *   lone bracketed item (a long path literal) on its own line.
 * Breaks go only where TypeScript allows a line break without changing the meaning:
 * inside brackets and before a type operator, never before `[` of an indexed access or
 * before `as` (both of which a line break would end).
 *
 * Exception: a line that holds one unbreakable token (a long URL or `@example` JSON in a
 * comment, a long string literal) stays longer than MAX_LINE, alone on its line.
 */
import ts from "typescript";

export const MAX_LINE = 120;

export function fitLines(text: string, width = MAX_LINE): string {
  // Most lines fit and hold no `/*` or `*/`: for them nothing is sliced, tested or copied. The text is
  // walked by offsets and copied through in runs; only a line that changes is replaced in the output.
  const out: string[] = [];
  let copied = 0;
  let inComment = false;
  // The next `/*` and `*/` at or after a line's start: a line without one cannot open or close a comment.
  let nextOpen = -1;
  let nextClose = -1;
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    if (nextOpen < start) nextOpen = indexOrInfinity(text, "/*", start);
    if (nextClose < start) nextClose = indexOrInfinity(text, "*/", start);
    if (end - start > width || (inComment ? nextClose < end : nextOpen < end)) {
      const line = text.slice(start, end);
      const fitted = fitLine(line, width, inComment);
      inComment = fitted.inComment;
      if (fitted.lines.length !== 1 || fitted.lines[0] !== line) {
        out.push(text.slice(copied, start), fitted.lines.join("\n"));
        copied = end;
      }
    }
    start = end + 1;
  }
  if (out.length === 0) return text;
  out.push(text.slice(copied));
  return out.join("");
}

function indexOrInfinity(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at === -1 ? Infinity : at;
}

/** One line as it is printed, given whether it starts inside a block comment, and whether the next one does. */
function fitLine(line: string, width: number, inComment: boolean): { lines: string[]; inComment: boolean } {
  const long = line.length > width;
  if (inComment) {
    const closes = /\*\/\s*$/.test(line);
    if (long && /^\s*\*\s+\S/.test(line) && !closes) return { lines: wrapCommentLine(line, width), inComment: true };
    return { lines: [line], inComment: !closes };
  }
  const single = long ? /^(\s*)\/\*\* (.*) \*\/$/.exec(line) : null;
  if (single) {
    // `/** text */` that is too long becomes a block, then wraps like one.
    const indent = single[1]!;
    return { lines: [`${indent}/**`, ...wrapCommentLine(`${indent} * ${single[2]!}`, width), `${indent} */`], inComment: false };
  }
  if (/^\s*\/\*/.test(line) && !/\*\//.test(line)) return { lines: [line], inComment: true };
  if (long && !/^\s*\/\//.test(line)) return { lines: breakCode(line, width), inComment: false };
  return { lines: [line], inComment: false };
}

/** A word that must not start a line: a JSDoc tag (`@x` would become one), or Markdown list/heading/quote syntax. */
function mayStartLine(word: string): boolean {
  return word !== "" && !/^(@|[-+*>#|]|\d+[.)]$|\*\/)/.test(word);
}

function wrapCommentLine(line: string, width: number): string[] {
  const [, prefix, body] = /^(\s*\* ?\s*)(.*)$/.exec(line)!;
  // An @example holds code: its text is kept as written.
  if (/^@example\b/.test(body!)) return [line];
  const words = body!.split(" ");
  const lines: string[] = [];
  let current = prefix! + words[0]!;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const fits = current.length + 1 + word.length <= width;
    if (fits || !mayStartLine(word) || words[i - 1] === "" || current.length <= prefix!.length) current += ` ${word}`;
    else {
      lines.push(current);
      current = prefix! + word;
    }
  }
  lines.push(current);
  return lines;
}

interface Token {
  kind: ts.SyntaxKind;
  pos: number;
  end: number;
  /** Brackets open around the token (those opened on this line). */
  depth: number;
}

interface Group {
  open: Token;
  close: Token;
  /** Separators directly inside: `,` or `;`. */
  separators: Token[];
}

const OPENERS = new Map([
  [ts.SyntaxKind.OpenParenToken, ts.SyntaxKind.CloseParenToken],
  [ts.SyntaxKind.OpenBracketToken, ts.SyntaxKind.CloseBracketToken],
  [ts.SyntaxKind.OpenBraceToken, ts.SyntaxKind.CloseBraceToken],
  [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken],
]);

/** One scanner for every line: making one is much of the cost of scanning a line, and a large spec has thousands. */
const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard);

function scan(line: string): { tokens: Token[]; groups: Group[] } {
  scanner.setText(line);
  const tokens: Token[] = [];
  const stack: { token: Token; separators: Token[] }[] = [];
  const groups: Group[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const token: Token = { kind, pos: scanner.getTokenStart(), end: scanner.getTokenEnd(), depth: stack.length };
    tokens.push(token);
    if (OPENERS.has(kind)) stack.push({ token, separators: [] });
    else if (stack.length > 0 && OPENERS.get(stack[stack.length - 1]!.token.kind) === kind) {
      const { token: open, separators } = stack.pop()!;
      token.depth = stack.length;
      groups.push({ open, close: token, separators });
    } else if ((kind === ts.SyntaxKind.CommaToken || kind === ts.SyntaxKind.SemicolonToken) && stack.length > 0) {
      stack[stack.length - 1]!.separators.push(token);
    }
  }
  return { tokens, groups };
}

function breakCode(line: string, width: number): string[] {
  const indent = /^\s*/.exec(line)![0];
  const again = (lines: string[]) => lines.flatMap((l) => (l.length > width ? breakCode(l, width) : [l]));

  // 0. A type alias: its type on the next line (before the line is scanned: this needs no tokens).
  const alias = /^\s*(export )?type [\w$]+(<[^=]*>)? = /.exec(line);
  if (alias) return [alias[0].trimEnd(), ...again([`${indent}  ${line.slice(alias[0].length)}`])];
  const { tokens, groups } = scan(line);

  // 1. A type's top-level unions/intersections, one operand per line.
  const operators = tokens.filter(
    (t, i) => i > 0 && t.depth === 0 && (t.kind === ts.SyntaxKind.BarToken || t.kind === ts.SyntaxKind.AmpersandToken) && line[t.pos - 1] === " " && line[t.end] === " ",
  );
  if (operators.length > 0) {
    const pieces: string[] = [];
    let start = 0;
    for (const op of operators) {
      pieces.push(line.slice(start, op.pos - 1));
      start = op.pos;
    }
    pieces.push(line.slice(start));
    return again([pieces[0]!, ...pieces.slice(1).map((p) => `${indent}  ${p}`)]);
  }

  // 2. The items of the outermost bracket pair (not `<…>`: a trailing comma there is not TypeScript), one per line.
  const explodable = groups.filter((g) => g.open.kind !== ts.SyntaxKind.LessThanToken && g.close.pos > g.open.end && line.slice(g.open.end, g.close.pos).trim() !== "");
  const lists = explodable.filter((g) => g.separators.length > 0);
  if (lists.length > 0) {
    const depth = Math.min(...lists.map((g) => g.open.depth));
    const group = lists.filter((g) => g.open.depth === depth).sort((a, b) => a.open.pos - b.open.pos)[0]!;
    const semicolons = group.separators[0]!.kind === ts.SyntaxKind.SemicolonToken;
    const items: string[] = [];
    let start = group.open.end;
    for (const sep of [...group.separators, group.close]) {
      items.push(line.slice(start, sep.pos).trim());
      start = sep.end;
    }
    const kept = items.filter((item) => item !== "");
    const mark = semicolons ? ";" : kept.length > 1 ? "," : "";
    return again([
      line.slice(0, group.open.end).trimEnd(),
      ...kept.map((item) => `${indent}  ${item}${mark}`),
      `${indent}${line.slice(group.close.pos)}`,
    ]);
  }

  // 3. A lone bracketed item, the longest, on a line of its own (e.g. a long path in `$paths["…"]`).
  const lone = [...explodable].sort((a, b) => b.close.pos - b.open.end - (a.close.pos - a.open.end) || a.open.pos - b.open.pos)[0];
  if (lone && lone.close.pos - lone.open.end >= 20) {
    return again([
      line.slice(0, lone.open.end).trimEnd(),
      `${indent}  ${line.slice(lone.open.end, lone.close.pos).trim()}`,
      `${indent}${line.slice(lone.close.pos)}`,
    ]);
  }
  return [line];
}
