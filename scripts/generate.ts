/**
 * npm run generate [-- --check] [-- --spec <file> --out <dir> --name <client> [--names <lock>] [--runtime <specifier>]]
 *
 * Without --spec, builds every client in codegen.config.json.
 * With --spec, builds one client for a project anywhere on disk: paths are resolved from where the
 * user stands (npm's INIT_CWD), the name lock defaults beside the spec, and the client imports the
 * runtime as `<this package>/runtime` (or --runtime), never by a path into this checkout.
 * --check writes nothing: it exits 1 listing every stale or missing file.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CONFIG_FILE, readConfig } from "../src/codegen/config.js";
import { GeneratorError } from "../src/codegen/errors.js";
import { runCli } from "./run-cli.js";
import { generateClient, type ClientConfig } from "../src/codegen/generate.js";
import { checkFiles, writeFiles, type OutputFile } from "../src/codegen/output.js";

const projectRoot = process.cwd();
/**
 * `npm run generate` starts in the package root; INIT_CWD is where the user ran it. Only then: a
 * process started some other way may inherit INIT_CWD from an unrelated npm script.
 */
const ownManifest = fileURLToPath(new URL("../package.json", import.meta.url));
const viaNpmRunGenerate = process.env["npm_lifecycle_event"] === "generate" && process.env["npm_package_json"] === ownManifest;
const userDir = (viaNpmRunGenerate && process.env["INIT_CWD"]) || process.cwd();
/** What a client generated for another project imports the runtime as: this package's runtime entry. */
const RUNTIME_SPECIFIER = `${(JSON.parse(readFileSync(ownManifest, "utf8")) as { name: string }).name}/runtime`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: "boolean", default: false },
      spec: { type: "string" },
      out: { type: "string" },
      name: { type: "string" },
      names: { type: "string" },
      runtime: { type: "string" },
    },
    strict: true,
  });
  const root = values.spec ? userDir : projectRoot;
  const clients = values.spec ? [clientFromFlags(values)] : await bundledClients();
  const files: OutputFile[] = [];
  for (const client of clients) files.push(...(await generateClient(root, client)));

  if (values.check) {
    const stale = (await checkFiles(root, files)).filter((f) => f.status !== "up to date");
    for (const file of stale) console.error(`${file.status}: ${file.path}`);
    if (stale.length > 0) {
      console.error(`${stale.length} generated file(s) out of date. Fix: run \`npm run generate${values.spec ? ` -- ${process.argv.slice(2).filter((a) => a !== "--check").join(" ")}` : ""}\` and commit the result.`);
      return 1;
    }
    console.log(`generated files are up to date (${files.length} checked)`);
    return 0;
  }
  const written = await writeFiles(root, files);
  console.log(written.length === 0 ? "generated files already up to date" : `wrote ${written.join(", ")}`);
  return 0;
}

function clientFromFlags(values: { spec?: string; out?: string; name?: string; names?: string; runtime?: string }): ClientConfig {
  const name = values.name ?? "api";
  const spec = values.spec!;
  const out = values.out ?? join("generated", name);
  // Beside the spec, which it belongs to (api/openapi.yaml → api/openapi.names.json), not inside the output.
  const names = values.names ?? join(dirname(spec), `${basename(spec, extname(spec))}.names.json`);
  return { name, spec, out, names, runtime: values.runtime ?? RUNTIME_SPECIFIER };
}

async function bundledClients(): Promise<ClientConfig[]> {
  const clients = await readConfig(projectRoot);
  if (!clients) throw new GeneratorError(CONFIG_FILE, undefined, "no such file", "run from the project root, or pass --spec, --out and --name");
  return clients;
}

runCli(main);
