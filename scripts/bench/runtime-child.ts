/**
 * Per-call cost with an in-memory fetch, for the runtime section of `npm run bench`:
 *
 *   node --expose-gc --import tsx scripts/bench/runtime-child.ts --package <dir> [--quick]
 *   node --import tsx scripts/bench/runtime-child.ts --package <dir> --profile <file> --variant <contender>   # one contender alone, profiled
 *
 * The facade is the built package's JavaScript (package-build.ts), as an app runs it: not sources
 * transformed by tsx, whose keepNames wrappers would add calls openapi-fetch does not pay.
 * Every contender sends the same two requests to the same canned `fetch` (nothing leaves the process):
 * GET /conversations?user=…&limit=20 answered 200 with a small JSON body, and
 * DELETE /conversations/{id} with a JSON body answered 204. Calls are awaited one after another;
 * batches alternate between contenders, with a GC between batches so one's garbage is not another's pause.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import createClient from "openapi-fetch";
import type { paths } from "../../generated/dify/schema.js";
import { reportResult } from "./child.js";
import { OPERATIONS, PROFILE_INTERVAL_US, PROFILED_CALLS, VARIANTS, type Operation, type RuntimeReport, type Variant } from "./runtime-cases.js";
import { profile } from "./profile.js";
import { median } from "./stats.js";

const BASE_URL = "https://api.dify.ai/v1";
const API_KEY = "app-bench-key";
const CONVERSATION_ID = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const LIST_BODY = JSON.stringify({
  limit: 20,
  has_more: false,
  data: [{ id: CONVERSATION_ID, name: "Trip planning", inputs: {}, status: "normal", introduction: "", created_at: 1_700_000_000, updated_at: 1_700_000_000 }],
});

/** The canned server: a fresh Response per call (bodies are single-use), as a real fetch gives. */
function cannedFetch(request: Request): Promise<Response> {
  return Promise.resolve(
    request.method === "DELETE" ? new Response(null, { status: 204 }) : new Response(LIST_BODY, { status: 200, headers: { "content-type": "application/json" } }),
  );
}

type Calls = Record<Operation, () => Promise<unknown>>;

// The in-memory server is the global fetch, so every contender runs with its default options, as an app does;
// the "own fetch option" variant passes it as the client's `fetch` instead (a Request built with its signal).
globalThis.fetch = cannedFetch as typeof globalThis.fetch;

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, profile: { type: "string" }, variant: { type: "string" }, package: { type: "string" } } });
if (!values.package) throw new Error("--package <dir> is required (see package-build.ts)");
const { createChatflowClient } = (await import(pathToFileURL(join(values.package, "src/index.js")).href)) as typeof import("../../src/index.js");

function facade(options: { maxRetries?: number; timeoutMs?: number; fetch?: typeof cannedFetch }): Calls {
  const client = createChatflowClient({ apiKey: API_KEY, baseUrl: BASE_URL, ...options });
  return {
    "GET ?query → 200 JSON": () => client.listConversations({ user: "user-1", limit: 20 }),
    "DELETE + JSON body → 204": () => client.deleteConversation(CONVERSATION_ID, { user: "user-1" }),
  };
}

function openapiFetch(): Calls {
  const client = createClient<paths>({ baseUrl: BASE_URL, headers: { Authorization: `Bearer ${API_KEY}` } });
  return {
    "GET ?query → 200 JSON": async () => (await client.GET("/conversations", { params: { query: { user: "user-1", limit: 20 } } })).data,
    "DELETE + JSON body → 204": async () =>
      (await client.DELETE("/conversations/{conversation_id}", { params: { path: { conversation_id: CONVERSATION_ID } }, body: { user: "user-1" } })).data,
  };
}

/** What a hand-written call does at the least: build the request, send it, check the status, parse the body. */
function bareFetch(): Calls {
  return {
    "GET ?query → 200 JSON": async () => {
      const query = new URLSearchParams({ user: "user-1", limit: "20" });
      const response = await cannedFetch(new Request(`${BASE_URL}/conversations?${query}`, { headers: { Authorization: `Bearer ${API_KEY}` } }));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    },
    "DELETE + JSON body → 204": async () => {
      const response = await cannedFetch(
        new Request(`${BASE_URL}/conversations/${encodeURIComponent(CONVERSATION_ID)}`, {
          method: "DELETE",
          headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
          body: JSON.stringify({ user: "user-1" }),
        }),
      );
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return undefined;
    },
  };
}

const contenders: Record<Variant, Calls> = {
  "facade (defaults)": facade({}),
  "facade, maxRetries 0": facade({ maxRetries: 0 }),
  "facade, maxRetries 0, timeoutMs Infinity": facade({ maxRetries: 0, timeoutMs: Number.POSITIVE_INFINITY }),
  "facade (defaults), own fetch option": facade({ fetch: cannedFetch }),
  "openapi-fetch": openapiFetch(),
  "bare fetch": bareFetch(),
};

/** Every contender must give the same answers, or their timings compare different work. */
async function checkAnswers(): Promise<void> {
  for (const variant of VARIANTS) {
    const list = (await contenders[variant]["GET ?query → 200 JSON"]()) as { data?: { id?: string }[] };
    if (list?.data?.[0]?.id !== CONVERSATION_ID) throw new Error(`${variant}: GET gave ${JSON.stringify(list)}`);
    const deleted = await contenders[variant]["DELETE + JSON body → 204"]();
    if (deleted !== undefined) throw new Error(`${variant}: DELETE gave ${JSON.stringify(deleted)}`);
  }
}

async function batch(call: () => Promise<unknown>, calls: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return ((performance.now() - started) * 1000) / calls;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function measure(quick: boolean): Promise<RuntimeReport> {
  // Batches of a few hundred ms: shorter ones swung the ratios by ±50 % between runs on this 2-core machine.
  const callsPerBatch = quick ? 300 : 5000;
  const rounds = quick ? 3 : 7;
  for (const variant of VARIANTS) for (const op of OPERATIONS) await batch(contenders[variant][op], callsPerBatch); // warm-up: JIT
  const batches = Object.fromEntries(VARIANTS.map((v) => [v, Object.fromEntries(OPERATIONS.map((op) => [op, [] as number[]]))])) as Record<Variant, Record<Operation, number[]>>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const variant of order) {
      for (const op of OPERATIONS) {
        gc();
        batches[variant][op].push(await batch(contenders[variant][op], callsPerBatch));
      }
    }
  }
  const perCallUs = Object.fromEntries(
    VARIANTS.map((v) => [v, Object.fromEntries(OPERATIONS.map((op) => [op, { median: median(batches[v][op]), batches: batches[v][op] }]))]),
  ) as RuntimeReport["perCallUs"];
  return { perCallUs, callsPerBatch, rounds };
}

await checkAnswers();
if (values.profile) {
  const variant = values.variant as Variant;
  if (!VARIANTS.includes(variant)) throw new Error(`--variant must be one of: ${VARIANTS.join(", ")}`);
  const calls = contenders[variant];
  for (const op of OPERATIONS) await batch(calls[op], 1000);
  const taken = await profile(async () => {
    for (const op of OPERATIONS) await batch(calls[op], PROFILED_CALLS);
  }, PROFILE_INTERVAL_US);
  await writeFile(values.profile, JSON.stringify(taken.profile));
} else {
  reportResult(await measure(values.quick));
}
