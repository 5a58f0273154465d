/**
 * Memory while iterating a stream stays flat: an event the loop has moved past
 * is garbage. A heap check after GC with a generous bound (the old leak kept
 * every event: ~60 MB for these 50,000 events of 1 kB).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createChatflowClient } from "../../src/index.js";

/** `global.gc` without `--expose-gc` on the worker: the flag is set, then a fresh context exposes it. */
function exposeGc(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

const EVENTS = 50_000;
const PER_CHUNK = 50;
const encoder = new TextEncoder();
const padding = "x".repeat(1000);

/** An event-stream body made on demand, PER_CHUNK events per chunk, so the test itself holds nothing. */
function body(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= EVENTS) {
        // The final event, so the stream is complete (one that ends without it is an error).
        if (sent++ === EVENTS) return controller.enqueue(encoder.encode('data: {"event":"message_end"}\n\n'));
        return controller.close();
      }
      let text = "";
      for (let i = 0; i < PER_CHUNK; i++, sent++) text += `data: {"event":"message","answer":"${sent} ${padding}"}\n\n`;
      controller.enqueue(encoder.encode(text));
    },
  });
}

describe("stream memory", () => {
  it(`reading ${EVENTS} events of 1 kB grows the heap by less than 8 MB`, async () => {
    const gc = exposeGc();
    const client = createChatflowClient({
      apiKey: "app-test-memory",
      baseUrl: "https://dify.example.test/v1",
      fetch: async () => new Response(body(), { headers: { "content-type": "text/event-stream" } }),
    });
    const stream = await client.sendChatMessage({ query: "hi", inputs: {}, user: "u", response_mode: "streaming" });
    let count = 0;
    let baseline = 0;
    let growth = 0;
    let others = 0;
    for await (const event of stream) {
      count++;
      if (event.event !== "message") others++;
      // Measured while the stream is still open: what the loop holds, not what is freed at its end.
      if (count === 1_000) {
        gc();
        baseline = process.memoryUsage().heapUsed;
      } else if (count === EVENTS) {
        gc();
        growth = process.memoryUsage().heapUsed - baseline;
      }
    }
    expect({ count, others }).toEqual({ count: EVENTS + 1, others: 1 });
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  });
});
