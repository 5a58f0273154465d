/**
 * The report as a pull-request comment (GitHub-flavoured Markdown): a summary
 * line, breaking changes with their facade methods, non-breaking changes,
 * info (folded), the facade surface diff and the consumer's broken call
 * sites. Long sections are cut with a count, so the comment stays under
 * GitHub's 65,536-character limit; `--format json` always has everything.
 */
import type { Change } from "./change.js";
import type { DriftReport } from "./drift-report.js";
import type { FacadeChange } from "./facade-surface.js";
import type { Severity } from "./rules.js";

const MAX_ROWS = 120;
const MAX_FACADE_METHODS = 60;
const MAX_DETAILS = 15;
const MAX_CELL = 240;
/** GitHub refuses comments over 65,536 characters; leave room for the workflow's footer. */
const MAX_LENGTH = 64_000;

export function renderMarkdown(report: DriftReport): string {
  const count = (severity: Severity) => report.changes.filter((c) => c.severity === severity).length;
  const lines: string[] = [
    `## API drift${report.app === undefined ? "" : ` of the ${report.app} client`}: \`${report.base}\` → \`${report.head}\``,
    "",
    `**Semver: ${report.semver}** · ${count("breaking")} breaking · ${count("non-breaking")} non-breaking · ${count("info")} info` +
      (report.consumer ? ` · ${report.consumer.errors.length} broken call site${report.consumer.errors.length === 1 ? "" : "s"}` : ""),
    "",
  ];

  const breaking = report.changes.filter((c) => c.severity === "breaking");
  lines.push(`### Breaking changes (${breaking.length})`, "");
  lines.push(...(breaking.length === 0 ? ["None.", ""] : changeTable(breaking)));

  const nonBreaking = report.changes.filter((c) => c.severity === "non-breaking");
  lines.push(`### Non-breaking changes (${nonBreaking.length})`, "");
  lines.push(...(nonBreaking.length === 0 ? ["None.", ""] : changeTable(nonBreaking)));

  const info = report.changes.filter((c) => c.severity === "info");
  if (info.length > 0) {
    // Descriptions change by the hundred in a docs rewrite; one line per method keeps them readable.
    const descriptions = info.filter((c) => c.rule === "description-changed");
    const rest = info.filter((c) => c.rule !== "description-changed");
    lines.push(`<details><summary><strong>Info (${info.length})</strong>: operationIds, summaries, tags, descriptions</summary>`, "");
    if (rest.length > 0) lines.push(...changeTable(rest));
    if (descriptions.length > 0) lines.push(descriptionSummary(descriptions), "");
    lines.push("</details>", "");
  }

  if (report.facade) lines.push(...facadeSection(report.facade));
  if (report.consumer) {
    const { errors, preexisting, tsconfig } = report.consumer;
    lines.push(`### Consumer impact (\`${tsconfig}\`)`, "");
    if (errors.length === 0) lines.push("No call site breaks." + (preexisting > 0 ? ` (${preexisting} error(s) exist against the base client already.)` : ""), "");
    else lines.push(`${errors.length} call site${errors.length === 1 ? "" : "s"} break:`, "", "```", ...errors.slice(0, MAX_ROWS).map(truncate), ...more(errors.length, MAX_ROWS), "```", "");
  }
  if (report.notes.length > 0) {
    lines.push(`<details><summary>Notes (${report.notes.length})</summary>`, "", ...report.notes.map((n) => `- ${escapeText(n)}`), "", "</details>", "");
  }
  return fitComment(lines.join("\n"));
}

/** The last resort when even cut sections add up to too much: cut at a line and say so. */
function fitComment(text: string): string {
  if (text.length <= MAX_LENGTH) return text;
  const kept = text.slice(0, text.lastIndexOf("\n", MAX_LENGTH - 200));
  // A cut inside a code block would swallow the closing note.
  const openFence = (kept.match(/^```/gm) ?? []).length % 2 === 1 ? "\n```" : "";
  return `${kept}${openFence}\n\n… the report is cut here to fit a GitHub comment; \`--format json\` has everything.\n`;
}

function changeTable(changes: Change[]): string[] {
  const rows = changes.slice(0, MAX_ROWS).map((c) => `| ${c.method ? `\`${c.method}\`` : "—"} | ${c.operation ? `\`${c.operation}\`` : "—"} | \`${c.rule}\` | ${cell(c.message)} |`);
  return ["| Method | Operation | Rule | Change |", "|---|---|---|---|", ...rows, ...more(changes.length, MAX_ROWS), ""];
}

function descriptionSummary(changes: Change[]): string {
  const byMethod = new Map<string, number>();
  for (const c of changes) byMethod.set(c.method ?? "(spec)", (byMethod.get(c.method ?? "(spec)") ?? 0) + 1);
  const list = [...byMethod].map(([method, n]) => `\`${method}\` ${n}`).join(", ");
  return `Descriptions changed in ${changes.length} place${changes.length === 1 ? "" : "s"} (\`description-changed\`, JSDoc only): ${list}.`;
}

function facadeSection(facade: FacadeChange[]): string[] {
  const lines = [`### Facade surface (${facade.length} method${facade.length === 1 ? "" : "s"} differ)`, ""];
  if (facade.length === 0) return [...lines, "The generated client's methods, arguments and results are unchanged.", ""];
  lines.push("What `generated/` would change for callers, read from both generated clients with the TypeScript checker.", "");
  for (const change of facade.slice(0, MAX_FACADE_METHODS)) {
    if (change.kind === "added") lines.push(`- **added** \`${change.method}\`: ${change.after.map(code).join(" ")}`);
    else if (change.kind === "removed") lines.push(`- **removed** \`${change.method}\`: ${change.before.map(code).join(" ")}`);
    else {
      lines.push(`- **changed** \`${change.method}\``);
      for (const detail of change.details.slice(0, MAX_DETAILS)) lines.push(`  - ${code(detail)}`);
      if (change.details.length > MAX_DETAILS) lines.push(`  - … ${change.details.length - MAX_DETAILS} more`);
    }
  }
  lines.push(...more(facade.length, MAX_FACADE_METHODS), "");
  return lines;
}

function more(total: number, shown: number): string[] {
  return total > shown ? [`… and ${total - shown} more (\`--format json\` lists all)`] : [];
}

/** A table cell: one line, no bare `|`, bounded length, no HTML outside code spans. */
function cell(text: string): string {
  const parts = truncate(text.replace(/[\r\n]+/g, " ")).split(/(`[^`]*`)/);
  return parts.map((part) => (part.startsWith("`") ? part : part.replace(/</g, "&lt;"))).join("").replace(/\|/g, "\\|");
}

/** Inline code that survives any content: a fence longer than the longest backtick run inside. */
function code(text: string): string {
  const body = truncate(text.replace(/[\r\n]+/g, " "));
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${body.startsWith("`") || body.endsWith("`") ? ` ${body} ` : body}${fence}`;
}

function escapeText(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/</g, "&lt;");
}

function truncate(text: string): string {
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}
