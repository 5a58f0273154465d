/**
 * The package as app teams receive it. Builds and packs once (into a temp folder), then:
 * checks what the tarball contains and imports, runs publint and Are the Types Wrong (attw) on it,
 * installs it into a fresh consumer project from the local file and the npm cache (no registry),
 * type-checks a consumer with TypeScript 5.9 and TypeScript 7 under moduleResolution bundler and
 * node16, and runs the compiled consumer against Prism on loopback.
 */
import { readFileSync } from "node:fs";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrism, type PrismServer } from "../contract/prism-server.js";
import { packPackage, projectRoot, run, type PackageManifest, type PackedPackage } from "./pack.js";

const SPEC = join(projectRoot, "spec/dify-service.openapi.yaml");

// What the client may need at run time (issue 5): the transport and an SSE parser. Anything
// else in `dependencies` (openapi-typescript, ts-morph, yaml…) would ship the generator to apps.
const APPS = ["chatflow", "chat", "agent", "workflow", "completion", "knowledge"];

const ALLOWED_RUNTIME_DEPENDENCIES = ["openapi-fetch", "eventsource-parser"];

interface Compiler {
  name: string;
  /** The package that provides it, as installed in this project (TypeScript 7 under an npm alias). */
  packageName: string;
  version: RegExp;
}

const COMPILERS: Compiler[] = [
  { name: "TypeScript 5.9", packageName: "typescript", version: /^Version 5\.9\./ },
  // typescript@7 is the native compiler (Go); its JS `tsc` bin starts the platform binary.
  { name: "TypeScript 7", packageName: "typescript7", version: /^Version 7\./ },
];

const RESOLUTIONS = [
  { moduleResolution: "bundler", module: "esnext" },
  { moduleResolution: "node16", module: "node16" },
] as const;

type Resolution = (typeof RESOLUTIONS)[number]["moduleResolution"];

// The consumer: the root and per-app entry points, the client method and the standalone function,
// a typed workflow stream and a knowledge upload with its indexing polled (compiled, not run).
const GOOD = `import { createChatflowClient, DifyApiError, type DeleteConversationResult } from "dify-service-client";
import { createChatflowConfig, deleteConversation } from "dify-service-client/chatflow";
import { createWorkflowClient } from "dify-service-client/workflow";
import { createKnowledgeClient } from "dify-service-client/knowledge";

export async function workflowStatus(baseUrl: string, apiKey: string): Promise<string | undefined> {
  const stream = await createWorkflowClient({ apiKey, baseUrl }).runWorkflow({ inputs: {}, user: "u", response_mode: "streaming" });
  for await (const event of stream) if (event.event === "workflow_finished") return event.data?.status;
  return undefined;
}

export async function indexFile(baseUrl: string, datasetKey: string, file: Blob): Promise<string | undefined> {
  const knowledge = createKnowledgeClient({ apiKey: datasetKey, baseUrl });
  const created = await knowledge.createDocumentByFile("dataset-1", { file });
  const status = await knowledge.getDocumentIndexingStatus("dataset-1", created.batch ?? "");
  return status.data?.[0]?.indexing_status;
}

export async function run(baseUrl: string, apiKey: string): Promise<string[]> {
  const viaClient: DeleteConversationResult = await createChatflowClient({ apiKey, baseUrl }).deleteConversation("c1", { user: "u" });
  const viaFunction: void = await deleteConversation(createChatflowConfig({ apiKey, baseUrl }), "c1", { user: "u" });
  return [typeof viaClient, typeof viaFunction, DifyApiError.name];
}
`;

// A client generated for another spec, in the consumer project itself (src/petstore, from its own api/petstore.yaml).
const PETS = `import { createPetstoreClient } from "./petstore/client.js";

export async function pets(baseUrl: string): Promise<string[]> {
  const listed = await createPetstoreClient({ baseUrl }).listPets({ limit: 2 });
  return listed.data.map((pet) => pet.name);
}
`;

// An app's test with the typed mock (./testing), in a consumer that has no msw: it must compile and run.
const MOCKED = `import { mockChatflowClient, mockError } from "dify-service-client/testing";
import { NotFoundError } from "dify-service-client/chatflow";
import { NotFoundError as RootNotFoundError } from "dify-service-client";

export async function mocked(): Promise<string[]> {
  const mock = mockChatflowClient({ getAppInfo: { name: "Mocked" }, deleteConversation: mockError(404) });
  const info = await mock.client.getAppInfo();
  const error = await mock.client.deleteConversation("c1", { user: "u" }).catch((caught: unknown) => caught);
  return [info.name ?? "", String(error instanceof RootNotFoundError), String(error instanceof NotFoundError), mock.calls.map((call) => call.name).join(",")];
}
`;

// A misspelled property must be a compile error under every compiler and resolution.
const BAD = `import { createChatflowClient } from "dify-service-client";

export const pending = createChatflowClient({ apiKey: "app-x" }).deleteConversation("c1", { usr: "x" });
`;

// Imports each compiled consumer given on the command line and calls it against the base URL.
const RUN = `const [baseUrl, petsUrl, ...outDirs] = process.argv.slice(2);
for (const outDir of outDirs) {
  const { run } = await import(\`./\${outDir}/good.js\`);
  const { pets } = await import(\`./\${outDir}/pets.js\`);
  const { mocked } = await import(\`./\${outDir}/mocked.js\`);
  console.log(JSON.stringify({ outDir, result: await run(baseUrl, "app-consumer-key"), pets: await pets(petsUrl), mocked: await mocked() }));
}
`;

let pkg: PackedPackage;
let consumer: string;
let prismStarting: Promise<PrismServer> | undefined;

beforeAll(async () => {
  // Prism's start-up (a few seconds) overlaps with the build; only the test that calls it waits.
  prismStarting = startPrism(SPEC);
  // Reported by that test; the tarball checks do not depend on Prism.
  prismStarting.catch(() => undefined);
  pkg = await packPackage();
  consumer = await installConsumer(pkg);
  // A full type-checked build, a pack and an install: allow for a busy two-core machine.
}, 120_000);

afterAll(async () => {
  const prism = await prismStarting?.catch(() => undefined);
  await prism?.stop();
  await pkg?.dispose();
});

describe("the tarball", () => {
  it("holds package.json, the README, the entry, the runtime and the generated clients, nothing else", () => {
    // Entries at the top of src/, the runtime, generated/<client>/: the generator (src/codegen),
    // other tooling under src/, scripts/ and test/ stay in the repository.
    const shipped = /^(package\.json|README\.md|dist\/src\/[\w.-]+\.(js|d\.ts)|dist\/src\/(runtime|testing)\/[\w.-]+\.(js|d\.ts)|dist\/generated\/[\w-]+\/[\w.-]+\.(js|d\.ts))$/;
    expect(pkg.files.filter((file) => !shipped.test(file))).toEqual([]);
    // The hand-written schema declarations sit where the emitted client's `./schema.js` import looks.
    expect(pkg.files).toContain("dist/generated/dify/schema.d.ts");
    expect(pkg.files).toContain("dist/generated/dify/operations.js");
    for (const app of APPS) expect(pkg.files).toContain(`dist/generated/dify/${app}.js`);
  });

  it("has a file for every exports target, and types first in each condition object", () => {
    expect(Object.keys(pkg.manifest.exports)).toEqual(expect.arrayContaining([".", ...APPS.map((app) => `./${app}`), "./testing", "./testing/msw"]));
    for (const [subpath, target] of Object.entries(pkg.manifest.exports)) {
      const paths = typeof target === "string" ? [target] : Object.values(target);
      for (const path of paths) expect(pkg.files, `exports["${subpath}"] → ${path}`).toContain(path.replace(/^\.\//, ""));
      if (typeof target !== "string") expect(Object.keys(target)[0], `exports["${subpath}"]`).toBe("types");
    }
    expect(pkg.manifest["sideEffects"]).toBe(false);
    expect(pkg.manifest["private"]).toBeUndefined();
  });

  it("imports at run time only its own declared dependencies, and no Node built-ins", async () => {
    const dependencies = Object.keys(pkg.manifest.dependencies ?? {});
    expect(ALLOWED_RUNTIME_DEPENDENCIES).toEqual(expect.arrayContaining(dependencies));
    // An optional peer (msw) only in the entry that needs it: `./testing/msw`, which only its users import.
    const optionalPeers = Object.keys((pkg.manifest["peerDependenciesMeta"] ?? {}) as Record<string, unknown>);
    expect(optionalPeers).toEqual(["msw"]);
    const found: string[] = [];
    for (const file of pkg.files.filter((path) => /\.(js|d\.ts)$/.test(path))) {
      const text = await readFile(join(pkg.packageDir, file), "utf8");
      for (const specifier of importSpecifiers(text)) {
        if (specifier.startsWith(".")) continue;
        const name = packageName(specifier);
        const allowed = dependencies.includes(name) || (optionalPeers.includes(name) && /^dist\/src\/testing\/msw\.(js|d\.ts)$/.test(file));
        if (!allowed) found.push(`${name} (${file})`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe("package linters", () => {
  it("publint reports nothing, suggestions included, warnings as errors", async () => {
    const tarball = await readFile(pkg.tarball);
    const { messages, pkg: manifest } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) as ArrayBuffer },
      level: "suggestion",
      strict: true,
    });
    expect(messages.map((message) => `${message.type} ${message.code}: ${formatMessage(message, manifest, { color: false })}`)).toEqual([]);
  });

  it("attw finds no problem for ESM consumers (node16 from ESM, bundler) on any entry point", async () => {
    // The package is ESM-only ("type": "module", every export an ES module), hence the "esm-only"
    // profile: it skips node10 resolution (no `exports` support; removed in TypeScript 7) and
    // `require` from CommonJS, and checks every other rule on every entry point.
    // --no-definitely-typed: attw would otherwise look up @types/dify-service-client on the registry.
    const result = await run(process.execPath, [attwEntry(), pkg.tarball, "--profile", "esm-only", "--no-definitely-typed", "--no-color", "--no-emoji"], {
      cwd: pkg.dir,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('"dify-service-client/chatflow"');
  });
});

describe("installed from the tarball", () => {
  it("installs the package and its runtime dependencies, and nothing else", async () => {
    const installed = JSON.parse(await readFile(join(consumer, "node_modules/dify-service-client/package.json"), "utf8")) as PackageManifest;
    expect(installed.version).toBe(pkg.manifest.version);
    const names = await installedPackages(join(consumer, "node_modules"));
    expect(names).toEqual(expect.arrayContaining(["dify-service-client", ...Object.keys(pkg.manifest.dependencies ?? {})]));
    // No generator or build tool came along.
    expect(names.filter((name) => /typescript$|^ts-morph$|^yaml$|^tsx$|^vitest$|^esbuild$/.test(name))).toEqual([]);
  });

  describe.each(COMPILERS)("$name", (compiler) => {
    it.each(RESOLUTIONS)("moduleResolution $moduleResolution: the consumer compiles and { usr } is an error", async ({ moduleResolution }) => {
      const version = await run(process.execPath, [compilerEntry(compiler), "--version"], { cwd: consumer });
      expect(version.stdout.trim()).toMatch(compiler.version);

      const result = await compile(compiler, moduleResolution);
      // Exactly one error: the misspelled property in bad.ts. Nothing in good.ts, nothing in the
      // package's declarations (skipLibCheck is off), nothing about resolving the package.
      expect(result.errors, result.output).toEqual([
        { file: "src/bad.ts", line: 3, code: expect.stringMatching(/^TS(2353|2561)$/), message: expect.stringContaining("'usr'") },
      ]);
    });
  });

  it("generates a client for another spec inside the consumer: it imports the installed runtime, nothing of this checkout", async () => {
    const client = await readFile(join(consumer, "src/petstore/client.ts"), "utf8");
    expect(client).toContain('from "dify-service-client/runtime";');
    expect(client).not.toContain(projectRoot);
    expect(client).not.toMatch(/from "\.\.\//);
    // The name lock sits beside the spec, not in the output folder.
    expect(JSON.parse(await readFile(join(consumer, "api/petstore.names.json"), "utf8")).names["GET /pets"]).toBe("listPets");
  });

  it("runs deleteConversation against Prism and the generated petstore client against a loopback server", async () => {
    const outDirs = [await compile(COMPILERS[0]!, "node16"), await compile(COMPILERS[1]!, "bundler")].map((result) => result.outDir);
    const prism = await prismStarting!;
    const seen: string[] = [];
    const pets = createServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization}`);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [{ id: "p1", name: "Rex" }, { id: "p2", name: "Tom" }], has_more: false }));
    });
    await new Promise<void>((done) => pets.listen(0, "127.0.0.1", done));
    try {
      const petsUrl = `http://127.0.0.1:${(pets.address() as AddressInfo).port}/v1`;
      const result = await run(process.execPath, ["run.mjs", prism.baseUrl, petsUrl, ...outDirs], { cwd: consumer, timeoutMs: 20_000 });
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as unknown);
      // Both calls resolved with undefined (Prism answered 204 to a request valid for the spec).
      expect(lines).toEqual(outDirs.map((outDir) => ({ outDir, result: ["undefined", "undefined", "ApiError"], pets: ["Rex", "Tom"], mocked: ["Mocked", "true", "true", "getAppInfo,deleteConversation"] })));
      // The petstore spec declares no security scheme: no credentials go out.
      expect(seen).toEqual(outDirs.map(() => "GET /v1/pets?limit=2 undefined"));
    } finally {
      await new Promise((done) => pets.close(done));
    }
  });
});

interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/**
 * A consumer project depending on the tarball, installed with `npm ci --offline`.
 *
 * Its lockfile pins the package's dependencies to the entries of this project's lockfile:
 * `npm ci` here put exactly those tarballs in the npm cache (by integrity), but not the registry
 * metadata that a plain `npm install <tarball> --offline` would need to choose versions, so
 * without the lockfile the install would work only on a machine that had run `npm install`.
 */
async function installConsumer(packed: PackedPackage): Promise<string> {
  const dir = join(packed.dir, "consumer");
  await mkdir(join(dir, "src"), { recursive: true });
  const spec = `file:../${basename(packed.tarball)}`;
  const dependencies = { [packed.manifest.name]: spec };
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies }, null, 2));
  await writeFile(join(dir, "package-lock.json"), JSON.stringify(consumerLockfile(packed.manifest, spec), null, 2));
  await writeFile(join(dir, "src/good.ts"), GOOD);
  await writeFile(join(dir, "src/bad.ts"), BAD);
  await writeFile(join(dir, "src/pets.ts"), PETS);
  await writeFile(join(dir, "src/mocked.ts"), MOCKED);
  await writeFile(join(dir, "run.mjs"), RUN);
  for (const { moduleResolution, module } of RESOLUTIONS) {
    const compilerOptions = {
      target: "ES2022",
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      // No @types/node: the package's declarations must stand on the DOM lib alone.
      types: [],
      module,
      moduleResolution,
      strict: true,
      // Errors in the package's .d.ts files (and openapi-fetch's) are reported; TypeScript's own
      // lib files are not re-checked, which would triple the time of each run.
      skipLibCheck: false,
      skipDefaultLibCheck: true,
      rootDir: "src",
    };
    await writeFile(join(dir, `tsconfig.${moduleResolution}.json`), JSON.stringify({ compilerOptions, include: ["src"] }, null, 2));
  }

  const install = await run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, timeoutMs: 40_000 });
  if (install.code !== 0) {
    throw new Error(
      `npm ci --offline of the tarball failed (${install.code}); the package's dependencies must be in the npm cache ` +
        `(run npm ci in the project first):\n${install.stderr}`,
    );
  }
  // Generated from the consumer's folder, for its own spec: the client must import the installed runtime.
  await mkdir(join(dir, "api"), { recursive: true });
  await cp(join(projectRoot, "test/fixtures/petstore-mini/openapi.yaml"), join(dir, "api/petstore.yaml"));
  const generated = await run(process.execPath, [join(projectRoot, "node_modules/tsx/dist/cli.mjs"), join(projectRoot, "scripts/generate.ts"), "--spec", "api/petstore.yaml", "--out", "src/petstore", "--name", "petstore"], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  if (generated.code !== 0) throw new Error(`generating the petstore client in the consumer failed:\n${generated.stderr}`);
  return dir;
}

/** Top-level package names in a node_modules folder (`@scope/name` for scoped ones). */
async function installedPackages(nodeModules: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(nodeModules)) {
    if (entry.startsWith(".")) continue;
    if (entry.startsWith("@")) names.push(...(await readdir(join(nodeModules, entry))).map((name) => `${entry}/${name}`));
    else names.push(entry);
  }
  return names.sort();
}

/** The consumer's lockfile: the tarball, plus the closure of its dependencies copied from this project's lockfile. */
function consumerLockfile(manifest: PackageManifest, spec: string): Lockfile {
  const root = JSON.parse(readFileSync(join(projectRoot, "package-lock.json"), "utf8")) as Lockfile;
  const packages: Record<string, LockEntry> = {
    "": { name: "consumer", dependencies: { [manifest.name]: spec } },
    [`node_modules/${manifest.name}`]: { version: manifest.version, resolved: spec, dependencies: manifest.dependencies ?? {} },
  };
  // In this project the package is the root, so its dependencies are looked up from "".
  const queue = Object.keys(manifest.dependencies ?? {}).map((name) => ({ name, from: "" }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    const key = locate(root, next.from, next.name);
    if (key === undefined) throw new Error(`${next.name} is not in package-lock.json: run npm install`);
    if (packages[key]) continue;
    // Dev flags describe this project's tree; in the consumer these are production dependencies.
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = root.packages[key]!;
    packages[key] = entry;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) queue.push({ name, from: key });
  }
  return { ...root, lockfileVersion: 3, packages, name: "consumer" } as Lockfile;
}

/** Node's lookup in lockfile keys: `<from>/node_modules/<name>`, then each enclosing node_modules. */
function locate(lock: Lockfile, from: string, name: string): string | undefined {
  for (let base = from; ; ) {
    const key = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (!base) return undefined;
    const at = base.lastIndexOf("/node_modules/");
    base = at < 0 ? "" : base.slice(0, at);
  }
}

interface CompileResult {
  outDir: string;
  output: string;
  errors: { file: string; line: number; code: string; message: string }[];
}

const compiled = new Map<string, Promise<CompileResult>>();

/** Compiles the consumer once per compiler and resolution (the Prism test reuses the output). */
function compile(compiler: Compiler, moduleResolution: Resolution): Promise<CompileResult> {
  const outDir = `out-${compiler.packageName}-${moduleResolution}`;
  let result = compiled.get(outDir);
  if (!result) {
    result = run(process.execPath, [compilerEntry(compiler), "-p", `tsconfig.${moduleResolution}.json`, "--outDir", outDir, "--pretty", "false"], {
      cwd: consumer,
      timeoutMs: 30_000,
    }).then(({ stdout, stderr }) => {
      const output = `${stdout}${stderr}`;
      const errors = [...output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map(([, file = "", line = "", code = "", message = ""]) => ({
        file,
        line: Number(line),
        code,
        message,
      }));
      // An error tsc prints without a location (a bad tsconfig) must fail the test too.
      if (errors.length === 0 && /error TS\d+/.test(output)) errors.push({ file: "", line: 0, code: "", message: output });
      return { outDir, output, errors };
    });
    compiled.set(outDir, result);
  }
  return result;
}

/** The compiler's JS entry from its `bin` field (`tsc`; a `tsgo` preview build names it so). */
function compilerEntry(compiler: Compiler): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve(`${compiler.packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin?: Record<string, string> };
  const bin = manifest.bin?.["tsc"] ?? manifest.bin?.["tsgo"];
  if (bin === undefined) throw new Error(`no tsc bin in ${manifestPath}`);
  return resolve(dirname(manifestPath), bin);
}

/** Static and dynamic import/export specifiers of an emitted .js or .d.ts file. */
function importSpecifiers(text: string): string[] {
  const pattern = /\b(?:import|export)\s[^;"']*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;
  return [...text.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? "");
}

/** `openapi-fetch/dist/x` → `openapi-fetch`, `@scope/name/sub` → `@scope/name`, `node:fs` stays `node:fs`. */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

function attwEntry(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("@arethetypeswrong/cli/package.json");
  return resolve(dirname(manifestPath), "dist/index.js");
}
