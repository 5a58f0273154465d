/**
 * `npm run test:browser`: proves in headless Chromium what the README claims for browsers.
 *
 * Builds the package (scripts/build.ts, into a temp folder), bundles test/browser/page.ts against
 * that build with esbuild, serves the page and a Dify-like API on loopback (the page's own origin,
 * a second origin with CORS, and the bare Dify-like server, which sends no CORS headers), drives
 * the system's Chromium over the DevTools protocol (playwright-core, no browser download) and
 * asserts what the page and the servers saw. Prints one line per check, then `N passed, N failed`;
 * exits 1 when a check fails, 2 when Chromium is missing. Chromium and the servers are stopped on
 * every path out, an overall time limit included.
 *
 *   npm run test:browser                      # CHROMIUM_PATH=/path/to/chromium to use another binary
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import type { SendChatMessageEvent } from "../../src/index.js";
import { build } from "../../scripts/build.js";
import { chatflowStream } from "../fixtures/streams/chatflow-stream.js";
import { AUDIO_BYTES, AUDIO_TYPE, LOOPBACK_API_KEY, startDifyLikeServer } from "../support/dify-like-server.js";
import type { BrowserCases, CaseInput } from "./page.js";
import { AckGate, ALLOWED_HEADERS, GATED_EVENTS, HELD_EVENTS, startFront, type FrontRequest } from "./server.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
/** Bounds, not synchronisation: a check that has not settled by then has failed (a hang is a failure, not a wait). */
const CHECK_LIMIT_MS = 15_000;
const DISCONNECT_LIMIT_MS = 5_000;
const OVERALL_LIMIT_MS = 100_000;

/** What the error stream sends: one answer token, then Dify's mid-stream failure. */
const ERROR_EVENT = { event: "error", task_id: "9da23599-e713-473b-982c-4328d4f5c78a", message_id: "5ad4cb98-f0c7-4085-b384-88c403be6290", status: 400, code: "invalid_param", message: "Query is too long" } as const;
const ERROR_STREAM: SendChatMessageEvent[] = [chatflowStream.find((event) => event.event === "message")!, ERROR_EVENT];

const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
/** Runs every cleanup once, newest first, whatever fails. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  })();
  return cleaning;
}

let passed = 0;
let failed = 0;

async function check(name: string, body: () => Promise<void> | void): Promise<void> {
  try {
    await within(Promise.resolve().then(body), CHECK_LIMIT_MS, `did not finish within ${CHECK_LIMIT_MS / 1000} s`);
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed++;
    const text = (error instanceof Error ? error.message : String(error)).trim();
    console.log(`FAIL ${name}\n     ${text.split(/\n+/).join("\n     ")}`);
  }
}

function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Calls one case of the page (page.ts) with `input` and returns what it reported. */
function call<K extends keyof BrowserCases>(page: Page, name: K, input: Parameters<BrowserCases[K]>[0]): Promise<Awaited<ReturnType<BrowserCases[K]>>> {
  return page.evaluate(
    ([caseName, caseInput]) => (window.browserCases[caseName] as (input: unknown) => Promise<unknown>)(caseInput),
    [name, input] as const,
  ) as Promise<Awaited<ReturnType<BrowserCases[K]>>>;
}

/** The requests `front` received while `action` ran. */
async function during<T, R>(front: { requests: R[] }, action: () => Promise<T>): Promise<{ result: T; requests: R[] }> {
  const before = front.requests.length;
  const result = await action();
  return { result, requests: front.requests.slice(before) };
}

function only<T>(items: T[], what: string): T {
  assert.equal(items.length, 1, `expected one ${what}, the server saw ${items.length}`);
  return items[0]!;
}

async function assertDisconnected(request: FrontRequest): Promise<void> {
  const { clientDisconnected } = await within(request.closed, DISCONNECT_LIMIT_MS, `the server never saw the browser close the connection (${DISCONNECT_LIMIT_MS / 1000} s)`);
  assert.equal(clientDisconnected, true, "the response ended before the client left: the check proves nothing");
}

async function bundlePage(): Promise<string> {
  const dist = join(mkdtempSync(join(tmpdir(), "dify-browser-")), "dist");
  cleanups.push(async () => rmSync(dirname(dist), { recursive: true, force: true }));
  build(dist);
  const entry = join(dist, "src/index.js");
  const result = await esbuild.build({
    entryPoints: [join(projectRoot, "test/browser/page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    // The built package's own imports (openapi-fetch, eventsource-parser) come from the project's node_modules.
    nodePaths: [join(projectRoot, "node_modules")],
    plugins: [
      {
        name: "built-package",
        setup(on) {
          // page.ts imports ../../src/index.js for its types; the browser gets what `npm run build` emits.
          on.onResolve({ filter: /\/src\/index\.js$/ }, (args) => (args.importer.endsWith(join("test", "browser", "page.ts")) ? { path: entry } : undefined));
        },
      },
    ],
  });
  const fromSource = Object.keys(result.metafile.inputs).filter((input) => resolve(input).startsWith(join(projectRoot, "src") + "/"));
  if (fromSource.length > 0) throw new Error(`the page bundle took source files instead of the build: ${fromSource.join(", ")}`);
  return result.outputFiles[0]!.text;
}

async function launch(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives each launch a fresh profile folder. Nothing here may reach past loopback.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    chromiumSandbox: false,
    timeout: 30_000,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  cleanups.push(() => browser.close());
  return browser;
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.error(`error: no Chromium at ${CHROMIUM}. Fix: apt-get install -y chromium (or set CHROMIUM_PATH to a Chromium binary)`);
    process.exitCode = 2;
    return;
  }
  const script = await bundlePage();

  const upstream = await startDifyLikeServer();
  cleanups.push(() => upstream.close());
  const errorUpstream = await startDifyLikeServer({ events: ERROR_STREAM });
  cleanups.push(() => errorUpstream.close());
  const gate = new AckGate();
  const html = `<!doctype html><meta charset="utf-8"><title>dify-chatflow-client browser check</title><script type="module" src="/page.js"></script>`;
  const home = await startFront({ apiKey: LOOPBACK_API_KEY, upstream, errorUpstream, gate, page: { html, script } });
  cleanups.push(() => home.close());
  const cross = await startFront({ apiKey: LOOPBACK_API_KEY, upstream, errorUpstream, gate, corsOrigin: home.origin });
  cleanups.push(() => cross.close());

  const browser = await launch();
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${home.origin}/`);
  await page.waitForFunction(() => "browserCases" in window, undefined, { timeout: 10_000 });
  console.log(`Chromium ${browser.version()}, page at ${home.origin}, cross-origin API at ${cross.origin}, no-CORS API at ${new URL(upstream.baseUrl).origin}`);

  const input = (front: { baseUrl: string }, user: string): CaseInput => ({ baseUrl: front.baseUrl, apiKey: LOOPBACK_API_KEY, user });

  for (const [label, front] of [["same origin", home], ["cross-origin", cross]] as const) {
    await check(`stream arrives incrementally: the page gets event N before the server writes N+1 (${label})`, async () => {
      const user = `gated-${label}`;
      const { result, requests } = await during(front, () => call(page, "gatedStream", input(front, user)));
      assert.equal(result.error, null, `the loop threw ${JSON.stringify(result.error)}`);
      assert.deepEqual(result.events, GATED_EVENTS.map((event) => event.event));
      const acks = gate.acks.filter((ack) => ack.token === user);
      assert.deepEqual(
        acks.map((ack) => [ack.index, ack.eventsWrittenAtAck]),
        GATED_EVENTS.map((_, index) => [index, index + 1]),
        "each acknowledgement must arrive while the server has written only up to that event",
      );
      const stream = only(requests.filter((request) => request.scenario === "gated"), "gated stream");
      assert.equal((await stream.closed).clientDisconnected, false);
    });

    await check(`break out of the loop closes the connection (${label})`, async () => {
      const { result, requests } = await during(front, () => call(page, "breakAfterFirst", input(front, `break-${label}`)));
      assert.equal(result.error, null, `the loop threw ${JSON.stringify(result.error)}`);
      assert.deepEqual(result.events, [HELD_EVENTS[0]!.event]);
      await assertDisconnected(only(requests.filter((request) => request.scenario === "held"), "held stream"));
    });

    for (const [how, caseName] of [["stream.abort()", "abortMethod"], ["aborting options.signal", "abortSignal"]] as const) {
      let outcome: Awaited<ReturnType<BrowserCases["abortMethod"]>> | undefined;
      await check(`${how} closes the connection (${label})`, async () => {
        const { result, requests } = await during(front, () => call(page, caseName, input(front, `${caseName}-${label}`)));
        outcome = result;
        await assertDisconnected(only(requests.filter((request) => request.scenario === "held"), "held stream"));
      });
      await check(`${how} on a buffered stream: no event after it, the loop ends with AbortError (${label})`, () => {
        assert.ok(outcome, "the page call failed (see the check above)");
        assert.equal(outcome.events[0], HELD_EVENTS[0]!.event);
        assert.equal(outcome.eventsAfterAbort, 0, `the loop got ${outcome.eventsAfterAbort} more event(s) after the abort (${outcome.events.slice(1).join(", ")}), then ended with ${JSON.stringify(outcome.error)}`);
        assert.ok(outcome.error?.isAbortError, `the loop must end with AbortError, it ended with ${JSON.stringify(outcome.error)}`);
      });
    }

    await check(`event: error in a stream is thrown as DifyApiError (${label})`, async () => {
      const result = await call(page, "errorEvent", input(front, `error-${label}`));
      assert.deepEqual(result.events, ["message"]);
      assert.ok(result.error?.isDifyApiError, `expected a DifyApiError, got ${JSON.stringify(result.error)}`);
      assert.equal(result.error.status, ERROR_EVENT.status);
      assert.equal(result.error.code, ERROR_EVENT.code);
    });

    await check(`uploadFile sends the file as multipart, the server parses its exact bytes (${label})`, async () => {
      const bytes = Array.from({ length: 300 }, (_, index) => (index * 7) % 256);
      const user = `upload-${label}`;
      const { result, requests } = await during(upstream, () => call(page, "upload", { ...input(front, user), name: "notes ü.pdf", type: "application/pdf", bytes }));
      const form = only(requests.filter((request) => request.url === "/v1/files/upload"), "upload").form;
      assert.ok(form, "the upload was not multipart/form-data");
      assert.deepEqual(form.fields, { user });
      assert.equal(form.files["file"]?.name, "notes ü.pdf");
      assert.equal(form.files["file"]?.type, "application/pdf");
      assert.deepEqual(Array.from(form.files["file"]?.bytes ?? []), bytes);
      assert.deepEqual(result, { name: "notes ü.pdf", size: bytes.length, mimeType: "application/pdf" });
    });

    await check(`textToAudio resolves with a Blob of the exact bytes (${label})`, async () => {
      const result = await call(page, "download", input(front, `download-${label}`));
      assert.equal(result.type, AUDIO_TYPE);
      assert.deepEqual(result.bytes, Array.from(AUDIO_BYTES));
    });
  }

  await check("CORS: every cross-origin call was preflighted, with Authorization requested and allowed", () => {
    const posts = [...new Set(cross.requests.filter((request) => request.method === "POST").map((request) => request.url))];
    assert.deepEqual(posts.sort(), ["/v1/chat-messages", "/v1/files/upload", "/v1/text-to-audio"]);
    for (const url of posts) {
      const first = cross.requests.findIndex((request) => request.url === url);
      const preflight = cross.requests[first]!;
      assert.equal(preflight.method, "OPTIONS", `the first request for ${url} was ${preflight.method}, not a preflight`);
      assert.equal(preflight.headers["origin"], home.origin);
      assert.equal(preflight.headers["access-control-request-method"], "POST");
      assert.match(preflight.headers["access-control-request-headers"] ?? "", /(^|,)\s*authorization\s*(,|$)/i);
      assert.equal(preflight.responseHeaders?.["access-control-allow-origin"], home.origin);
      assert.equal(preflight.responseHeaders?.["access-control-allow-headers"], ALLOWED_HEADERS);
    }
    assert.ok(cross.requests.filter((request) => request.method === "POST").every((request) => request.headers["origin"] === home.origin));
  });

  await check("an origin without CORS headers fails with ConnectionError, and the browser never sends the call", async () => {
    const { result, requests } = await during(upstream, () => call(page, "blockingChat", input(upstream, "no-cors")));
    assert.equal(result.answer, null, "the cross-origin call without CORS headers succeeded");
    assert.ok(result.error?.isConnectionError, `expected a ConnectionError, got ${JSON.stringify(result.error)}`);
    assert.ok(requests.length > 0, "the browser sent nothing: the failure is not CORS");
    assert.deepEqual([...new Set(requests.map((request) => request.method))], ["OPTIONS"], "only the preflight may reach the server");
  });

  await check("the page raised no uncaught error", () => {
    assert.deepEqual(pageErrors, []);
  });
}

const overall = setTimeout(() => {
  console.log(`FAIL the browser check did not finish within ${OVERALL_LIMIT_MS / 1000} s`);
  failed++;
  // A cleanup that hangs too must not keep CI waiting: exiting kills Chromium (playwright-core's exit handler).
  setTimeout(() => process.exit(1), 10_000).unref();
  void cleanup().finally(() => process.exit(1));
}, OVERALL_LIMIT_MS);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

try {
  await main();
} catch (error) {
  failed++;
  console.log(`FAIL the browser check could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  clearTimeout(overall);
  await cleanup();
}
if (process.exitCode !== 2) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}
