/**
 * npm run drift -- <base> <head> [--app <type>] [--format markdown|json] [--fail-on breaking|non-breaking|info]
 *                                [--overlay <file>] [--base-overlay <file>] [--names <lock>]
 *                                [--memberships <file>] [--base-memberships <file>] [--consumer <tsconfig.json>]
 *
 * Each side is a spec file or a git revision path (origin/main:spec/dify-service.openapi.yaml).
 * --app compares the operations one app type has on each side (a side without memberships counts all).
 * Prints the drift report; exits 1 when --fail-on finds a change that severe (or a broken
 * consumer call site), 2 on bad input. The logic lives in src/drift/.
 */
import { parseArgs } from "node:util";
import { runCli } from "./run-cli.js";
import { buildDriftReport, failingFindings } from "../src/drift/drift-report.js";
import { renderJson } from "../src/drift/report-json.js";
import { renderMarkdown } from "../src/drift/report-markdown.js";
import { SEVERITIES, type Severity } from "../src/drift/rules.js";

const USAGE =
  "usage: npm run drift -- <base> <head> [--app <type>] [--format markdown|json] [--fail-on breaking] [--overlay <file>] [--base-overlay <file>] [--names <lock>] [--memberships <file>] [--base-memberships <file>] [--consumer <tsconfig.json>]";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: "string", default: "markdown" },
      "fail-on": { type: "string" },
      app: { type: "string" },
      overlay: { type: "string" },
      "base-overlay": { type: "string" },
      names: { type: "string" },
      memberships: { type: "string" },
      "base-memberships": { type: "string" },
      consumer: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 2) return usageError(`expected <base> and <head>, got ${positionals.length} argument(s)`);
  if (values.format !== "markdown" && values.format !== "json") return usageError(`--format ${values.format} is not markdown or json`);
  const failOn = values["fail-on"];
  if (failOn !== undefined && !SEVERITIES.includes(failOn as Severity)) return usageError(`--fail-on ${failOn} is not one of ${SEVERITIES.join(", ")}`);

  const report = await buildDriftReport({
    cwd: process.cwd(),
    base: positionals[0]!,
    head: positionals[1]!,
    ...(values.app !== undefined && { app: values.app }),
    ...(values.overlay !== undefined && { overlay: values.overlay }),
    ...(values["base-overlay"] !== undefined && { baseOverlay: values["base-overlay"] }),
    ...(values.names !== undefined && { names: values.names }),
    ...(values.memberships !== undefined && { memberships: values.memberships }),
    ...(values["base-memberships"] !== undefined && { baseMemberships: values["base-memberships"] }),
    ...(values.consumer !== undefined && { consumer: values.consumer }),
  });
  process.stdout.write(values.format === "json" ? renderJson(report) : renderMarkdown(report));

  if (failOn === undefined) return 0;
  const failing = failingFindings(report, failOn as Severity);
  if (failing > 0) console.error(`drift: ${failing} finding(s) at or above --fail-on ${failOn}`);
  return failing > 0 ? 1 : 0;
}

function usageError(problem: string): number {
  console.error(`error: ${problem}. Fix: ${USAGE}`);
  return 2;
}

runCli(main);
