/**
 * Starts a Stoplight Prism mock server on a free loopback port for contract tests.
 *
 * Prism serves the spec's paths at the root: the server URL's `/v1` is not
 * part of the route (`/v1/conversations/x` answers 404 NO_PATH_MATCHED_ERROR),
 * so clients must use `baseUrl` as is, without `/v1`.
 *
 * With an overlay, Prism serves the spec as the clients were generated from
 * it (our error envelope as every `default` response, the event unions): the
 * overlay is applied by the generator's own `applyOverlay` and the result
 * written to a temp dir, removed on stop. The upstream file stays verbatim.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { applyOverlay } from "../../src/codegen/overlay.js";
import { readSpec } from "../../src/codegen/spec-document.js";

export interface PrismServer {
  /** e.g. `http://127.0.0.1:40123`, no trailing slash. */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
// Keep only the tail of Prism's log: it logs every request, and only the end matters in an error.
const MAX_OUTPUT_CHARS = 20_000;
// Prism's chalk output may carry colour codes if the environment forces colour.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export interface PrismOptions {
  /** An OpenAPI Overlay applied to the spec before Prism reads it. */
  overlay?: string;
}

export async function startPrism(specPath: string, options: PrismOptions = {}): Promise<PrismServer> {
  const served = options.overlay === undefined ? { path: resolve(specPath), dispose: async () => {} } : await overlaid(specPath, options.overlay);
  try {
    return await startPrismOn(served.path, served.dispose);
  } catch (error) {
    await served.dispose();
    throw error;
  }
}

/** The overlaid spec as JSON in a fresh temp dir (Prism reads JSON as well as YAML). */
async function overlaid(specPath: string, overlayPath: string): Promise<{ path: string; dispose: () => Promise<void> }> {
  const data = applyOverlay(await readSpec(specPath), await readSpec(overlayPath, "overlay"));
  const dir = await mkdtemp(join(tmpdir(), "prism-spec-"));
  const path = join(dir, "spec.json");
  await writeFile(path, JSON.stringify(data));
  return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
}

async function startPrismOn(specPath: string, dispose: () => Promise<void>): Promise<PrismServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    // Static mode (no -d): responses come from the spec's examples, so results are deterministic.
    [prismEntry(), "mock", "-h", HOST, "-p", String(port), specPath],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
  );

  let output = "";
  // Settles on exit, or on a spawn error (after which no exit event comes); never rejects.
  const exited = new Promise<void>((settle) => {
    child.once("exit", () => settle());
    child.once("error", () => settle());
  });
  // Reading both pipes for the process's whole life also keeps Prism from blocking on a full pipe.
  const ready = new Promise<void>((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-MAX_OUTPUT_CHARS);
      if (output.replace(ANSI, "").includes(`Prism is listening on http://${HOST}:${port}`)) resolveReady();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", (error) => reject(new Error(`could not spawn Prism: ${error.message}`)));
    child.once("exit", (code, signal) =>
      reject(new Error(`Prism exited (code ${code}, signal ${signal}) before it was ready. Output:\n${clean(output)}`)),
    );
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Prism was not ready within ${READY_TIMEOUT_MS / 1000} s. Output:\n${clean(output)}`)),
      READY_TIMEOUT_MS,
    );
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    // Bounded wait, then SIGKILL, so a hung Prism cannot hang afterAll.
    const killTimer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    try {
      await exited;
    } finally {
      clearTimeout(killTimer);
    }
  };
  const stopAndDispose = async (): Promise<void> => {
    try {
      await stop();
    } finally {
      await dispose();
    }
  };

  try {
    await Promise.race([ready, timeout]);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { baseUrl: `http://${HOST}:${port}`, stop: stopAndDispose };
}

/** The CLI's JS entry, from the package's `bin` field: no shell, no `.bin` shim, works on every OS. */
function prismEntry(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("@stoplight/prism-cli/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.["prism"];
  if (bin === undefined) throw new Error(`no "prism" bin in ${manifestPath}`);
  return resolve(dirname(manifestPath), bin);
}

/** A port the OS just handed out; another process could take it before Prism binds, which is rare enough on loopback. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

function clean(text: string): string {
  return text.replace(ANSI, "").trimEnd() || "(no output)";
}
