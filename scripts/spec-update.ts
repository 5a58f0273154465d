/**
 * npm run spec:update -- <openapi_service.json> [--memberships <memberships.json>] [--date YYYY-MM-DD]
 *
 * Writes the new revision into spec/ (YAML, content unchanged), regenerates every client, writes
 * the drift report (one section per app type) to docs/drift/<date>.md, adds a CHANGELOG entry with
 * the semver it implies and prints a summary. Bad input: one line, exit 2, the tree as it was.
 * The logic lives in src/drift/spec-update.ts.
 */
import { parseArgs } from "node:util";
import { runCli } from "./run-cli.js";
import { updateSpec } from "../src/drift/spec-update.js";

const USAGE = "usage: npm run spec:update -- <openapi_service.json> [--memberships <memberships.json>] [--date YYYY-MM-DD]";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { memberships: { type: "string" }, date: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`error: expected one spec file, got ${positionals.length}. Fix: ${USAGE}`);
    return 2;
  }
  const result = await updateSpec({
    root: process.cwd(),
    spec: positionals[0]!,
    ...(values.memberships !== undefined && { memberships: values.memberships }),
    ...(values.date !== undefined && { date: values.date }),
  });
  if (!result.changed) {
    console.log(result.summary.join("\n"));
    return 0;
  }
  console.log(`spec updated: ${result.version.from} → ${result.version.to} (${result.semver}); report ${result.report}`);
  for (const line of result.summary) console.log(`  ${line}`);
  console.log(`wrote ${result.written.join(", ")}`);
  return 0;
}

runCli(main);
