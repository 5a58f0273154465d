/**
 * `npm run spec:update`: one upstream revision of the spec in one go. The new
 * spec is written to spec/ as YAML (content unchanged) with its memberships,
 * every client is regenerated, the drift report of the update (one section
 * per app type) goes to docs/drift/<date>.md, and CHANGELOG.md and the
 * package version get the release the report implies.
 *
 * Everything is computed before the tree is touched, except the spec itself,
 * which generation reads from its place: a failure puts the old spec back, so
 * the tree is left as it was.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { readConfig } from "../codegen/config.js";
import { readNameLockText } from "../codegen/name-lock.js";
import { GeneratorError } from "../codegen/errors.js";
import { generateClient, type ClientConfig } from "../codegen/generate.js";
import { writeFiles, type OutputFile } from "../codegen/output.js";
import { specJsonToYaml } from "../codegen/spec-yaml.js";
import { buildDriftReports, type DriftReport } from "./drift-report.js";
import { renderMarkdown } from "./report-markdown.js";
import type { SemverBump } from "./semver.js";
import { severityRank } from "./rules.js";

export interface SpecUpdateOptions {
  /** The project root. */
  root: string;
  /** Upstream's openapi_service.json (JSON), as given on the command line. */
  spec: string;
  /** Upstream's memberships.json; the current one is kept when not given. */
  memberships?: string;
  /** The date the report is filed under (YYYY-MM-DD); today by default. */
  date?: string;
}

export interface SpecUpdateResult {
  /** False when the revision is the one spec/ already holds: nothing was written. */
  changed: boolean;
  semver: SemverBump;
  version: { from: string; to: string };
  /** docs/drift/<date>.md */
  report: string;
  /** Files written, relative to the root. */
  written: string[];
  /** One line per app type: its counts and semver. */
  summary: string[];
}

const CHANGELOG = "CHANGELOG.md";
const PACKAGE = "package.json";
const LOCKFILE = "package-lock.json";

export async function updateSpec(options: SpecUpdateOptions): Promise<SpecUpdateResult> {
  const { root } = options;
  const config = await serviceConfig(root);
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d\d-\d\d$/.test(date)) throw new GeneratorError("--date", undefined, `${JSON.stringify(date)} is not a date`, "write it as YYYY-MM-DD");

  const upstreamText = await readInput(options.spec, "the spec");
  let specYaml: string;
  try {
    specYaml = specJsonToYaml(upstreamText);
  } catch (cause) {
    throw new GeneratorError(options.spec, undefined, `not JSON (${(cause as Error).message})`, "pass upstream's openapi_service.json as published");
  }
  const membershipsText = options.memberships === undefined ? undefined : await readInput(options.memberships, "the memberships");

  const paths = { spec: config.spec, memberships: config.memberships!, names: config.names };
  const before = {
    spec: await readFile(resolve(root, paths.spec), "utf8"),
    memberships: await readFile(resolve(root, paths.memberships), "utf8"),
    names: await readNameLockText(resolve(root, paths.names), paths.names),
  };
  const after = { spec: specYaml, memberships: membershipsText ?? before.memberships };
  const manifest = await readFile(resolve(root, PACKAGE), "utf8");
  const pkg = JSON.parse(manifest) as { version: string };
  if (after.spec === before.spec && after.memberships === before.memberships) {
    return { changed: false, semver: "patch", version: { from: pkg.version, to: pkg.version }, report: "", written: [], summary: ["spec/ already holds this revision: nothing to do"] };
  }

  // The old revision, kept aside for the drift report's base side.
  const scratch = await mkdtemp(join(tmpdir(), "spec-update-"));
  try {
    const base = { spec: join(scratch, "base.openapi.yaml"), memberships: join(scratch, "base.memberships.json"), names: join(scratch, "base.names.json") };
    await writeFile(base.spec, before.spec);
    await writeFile(base.memberships, before.memberships);
    if (before.names !== undefined) await writeFile(base.names, before.names);

    // Generation reads the spec from its place in the project: write it, and put the old one back on any failure.
    let generated: OutputFile[];
    let reports: DriftReport[];
    const apps = (config.clients ?? []).map((c) => c.name);
    await writeFiles(root, [
      { path: paths.spec, content: after.spec },
      { path: paths.memberships, content: after.memberships },
    ]);
    try {
      // An operation upstream removed keeps its name reserved in the lock ("absent"), for when it comes back.
      generated = await generateClient(root, config, { unmatchedNames: "keep" });
      reports = await buildDriftReports(
        {
          cwd: root,
          root,
          base: base.spec,
          head: paths.spec,
          baseMemberships: base.memberships,
          ...(before.names !== undefined && { names: base.names }),
        },
        apps,
      );
    } catch (error) {
      await writeFiles(root, [
        { path: paths.spec, content: before.spec },
        { path: paths.memberships, content: before.memberships },
      ]);
      throw error;
    }

    const semver = highest(reports.map((r) => r.semver));
    const version = bump(pkg.version, semver);
    const reportPath = `docs/drift/${date}.md`;
    const upstream = JSON.parse(upstreamText) as { info?: { version?: string } };
    // The base was a scratch copy: name it as what it was.
    const labelled = reports.map((r) => ({ ...r, base: `${paths.spec} (${pkg.version})`, head: `${paths.spec} (${version})` }));
    const reportText = renderUpdateReport({ date, from: pkg.version, to: version, input: options.spec, reports: labelled, apps });
    const summary = reports.map((r, i) => `${apps[i]}: ${countLine(r)} → ${r.semver}`);
    const changelog = await readFile(resolve(root, CHANGELOG), "utf8").catch(() => "# Changelog\n");
    const entry = changelogEntry({ version, date, semver, reportPath, summary, specVersion: upstream.info?.version });
    const files: OutputFile[] = [
      ...generated,
      { path: reportPath, content: reportText },
      { path: CHANGELOG, content: insertEntry(changelog, entry) },
      { path: PACKAGE, content: setVersion(manifest, version) },
    ];
    const lockfile = await readFile(resolve(root, LOCKFILE), "utf8").catch(() => undefined);
    if (lockfile !== undefined) files.push({ path: LOCKFILE, content: setLockVersion(lockfile, version) });
    // writeFiles writes only what changed, and says which.
    const stale = await writeFiles(root, files);
    return { changed: true, semver, version: { from: pkg.version, to: version }, report: reportPath, written: [paths.spec, ...(membershipsText === undefined ? [] : [paths.memberships]), ...stale], summary };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The configured entry that builds clients from memberships: the Service API. */
async function serviceConfig(root: string): Promise<ClientConfig> {
  const entry = (await readConfig(root))?.find((c) => c.memberships !== undefined);
  if (!entry) throw new GeneratorError("codegen.config.json", undefined, "no entry has `memberships`", "configure the Service API spec with its memberships file");
  return entry;
}

async function readInput(path: string, what: string): Promise<string> {
  return readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new GeneratorError(path, undefined, `cannot read ${what} (${error.code ?? error.message})`, `pass the path of upstream's ${what === "the spec" ? "openapi_service.json" : "memberships.json"}`);
  });
}

function countLine(report: DriftReport): string {
  const n = (severity: string) => report.changes.filter((c) => c.severity === severity).length;
  return `${n("breaking")} breaking, ${n("non-breaking")} non-breaking, ${n("info")} info`;
}

function highest(bumps: readonly SemverBump[]): SemverBump {
  return bumps.includes("major") ? "major" : bumps.includes("minor") ? "minor" : "patch";
}

/** Semver for a 0.x package too: a breaking change is still a major release (0.2.0 → 1.0.0). */
export function bump(version: string, semver: SemverBump): string {
  const [major = 0, minor = 0, patch = 0] = version.split(/[.+-]/).map(Number);
  if (semver === "major") return `${major + 1}.0.0`;
  if (semver === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

function renderUpdateReport(input: { date: string; from: string; to: string; input: string; reports: DriftReport[]; apps: string[] }): string {
  const lines = [
    `<!-- Generated by: npm run spec:update -- ${basename(input.input)} (filed under ${input.date}); one section per app type. -->`,
    "",
    `# Service API update ${input.date}: ${input.from} → ${input.to}`,
    "",
    "| App type | Semver | Breaking | Non-breaking | Info |",
    "|---|---|---|---|---|",
    ...input.reports.map((r, i) => {
      const n = (severity: string) => r.changes.filter((c) => c.severity === severity).length;
      return `| ${input.apps[i]} | ${r.semver} | ${n("breaking")} | ${n("non-breaking")} | ${n("info")} |`;
    }),
    "",
  ];
  // Sections sorted by severity, so the client an update breaks comes first.
  const order = input.reports.map((r, i) => ({ r, i })).sort((a, b) => rank(b.r) - rank(a.r) || a.i - b.i);
  for (const { r } of order) lines.push(renderMarkdown(r).trimEnd(), "");
  return `${lines.join("\n").trimEnd()}\n`;
}

function rank(report: DriftReport): number {
  return Math.max(-1, ...report.changes.map((c) => severityRank(c.severity)));
}

function changelogEntry(input: { version: string; date: string; semver: SemverBump; reportPath: string; summary: string[]; specVersion: string | undefined }): string {
  return [
    `## ${input.version} — Dify Service API spec of ${input.date}`,
    "",
    `Spec updated with \`npm run spec:update\`${input.specVersion ? ` (upstream info.version ${input.specVersion})` : ""}. Semver: **${input.semver}**. Full report: [${input.reportPath}](${input.reportPath}).`,
    "",
    ...input.summary.map((line) => `- ${line}`),
    "",
  ].join("\n");
}

/** The entry goes above the newest release (the first `## ` heading). */
function insertEntry(changelog: string, entry: string): string {
  const at = changelog.search(/^## /m);
  return at === -1 ? `${changelog.trimEnd()}\n\n${entry}` : `${changelog.slice(0, at)}${entry}\n${changelog.slice(at)}`;
}

function setVersion(manifest: string, version: string): string {
  return manifest.replace(/^(\s*"version":\s*)"[^"]*"/m, `$1"${version}"`);
}

/** package-lock.json repeats the version at the top and for the root package. */
function setLockVersion(lockfile: string, version: string): string {
  const lock = JSON.parse(lockfile) as { version?: string; packages?: Record<string, { version?: string }> };
  lock.version = version;
  if (lock.packages?.[""]) lock.packages[""].version = version;
  return `${JSON.stringify(lock, null, 2)}\n`;
}
