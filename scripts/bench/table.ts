/** Markdown pipe tables: readable in a terminal and pasted unchanged into docs/benchmarks.md. */

/** The first row is the header; the first `leftColumns` columns are text, the rest right-aligned numbers. */
export function table(rows: readonly (readonly string[])[], leftColumns = 1): string {
  const widths = rows[0]!.map((_, column) => Math.max(3, ...rows.map((row) => (row[column] ?? "").length)));
  const left = (column: number) => column < leftColumns;
  const line = (row: readonly string[]) =>
    `| ${widths.map((width, column) => (left(column) ? (row[column] ?? "").padEnd(width) : (row[column] ?? "").padStart(width))).join(" | ")} |`;
  const rule = `|${widths.map((width, column) => (left(column) ? `${"-".repeat(width + 1)}-` : `-${"-".repeat(width)}:`)).join("|")}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}
