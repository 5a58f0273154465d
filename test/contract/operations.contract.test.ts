/**
 * Every method of every client against Prism, through that client's facade:
 * Prism validates method, path, params, body and auth of each request against
 * the service spec (with our overlay), and answers from its examples.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventStream, StreamIncompleteError } from "../../src/index.js";
import { apiRejection } from "../support/rejection.js";
import { clientMethodPairs, contractClients, type AnyClient, type AppName, type ClientOf } from "./clients.js";
import { contractCalls, matchesExpectation, PRISM_CANNOT_SERIALISE, streamingCalls } from "./operation-calls.js";
import type { PrismServer } from "./prism-server.js";
import { startServicePrism } from "./service-spec.js";

let prism: PrismServer;
const sent: Request[] = [];
const received: Response[] = [];
const clients = new Map<AppName, AnyClient>();

beforeAll(async () => {
  prism = await startServicePrism();
  for (const app of Object.keys(contractClients) as AppName[]) {
    const { create, apiKey } = contractClients[app];
    clients.set(app, create({ apiKey, baseUrl: prism.baseUrl, fetch: record }));
  }
});

async function record(request: Request): Promise<Response> {
  sent.push(request);
  const response = await globalThis.fetch(request);
  received.push(response);
  return response;
}

afterAll(async () => {
  await prism?.stop();
});

/** `/datasets/{dataset_id}` → a pattern matching the path with any non-empty segment for each parameter. */
function pathPattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
  return new RegExp(`^${escaped}$`);
}

function requestViolations(response: Response): unknown[] {
  const header = response.headers.get("sl-violations");
  if (header === null) return [];
  return (JSON.parse(header) as { location?: unknown[] }[]).filter((violation) => violation.location?.[0] !== "response");
}

function clientOf<A extends AppName>(app: A): ClientOf<A> {
  const client = clients.get(app);
  if (client === undefined) throw new Error(`no ${app} client`);
  // `clients` holds each app's own client, made by its factory in beforeAll.
  return client as ClientOf<A>;
}

describe("every (client, method) pair passes Prism's request validation", () => {
  it.each(clientMethodPairs().map((pair) => ({ ...pair, name: `${pair.app}.${pair.method}` })))("$name", async ({ app, method, info }) => {
    const contract = contractCalls[method];
    const before = sent.length;
    // The call is typed against the clients that have `method`; the index says this one does.
    const pending = (contract.call as (client: AnyClient) => Promise<unknown>)(clientOf(app));
    if (contract.expect === "prism-cannot-mock") {
      const error = await apiRejection(pending);
      expect(error.status).toBe(500);
      expect((error.body as { type?: unknown }).type).toBe(PRISM_CANNOT_SERIALISE);
    } else {
      const result = await pending;
      expect(matchesExpectation(result, contract.expect), `got ${Object.prototype.toString.call(result)}`).toBe(true);
    }
    // Exactly one request per call (nothing retried, nothing lost), to the operation the index names.
    expect(sent.length - before).toBe(1);
    const request = sent.at(-1)!;
    expect(request.method).toBe(info.method);
    expect(new URL(request.url).pathname).toMatch(pathPattern(info.path));
    expect(request.headers.get("authorization")).toBe(`Bearer ${contractClients[app].apiKey}`);
    // Prism lists what failed validation in this header, even on an answer it still gives. Only the
    // request's are ours: some of the spec's response examples break their own schemas.
    expect(requestViolations(received.at(-1)!)).toEqual([]);
  });
});

describe("streams: Prism validates the streaming request and answers text/event-stream", () => {
  // Upstream's examples lost their line breaks ("data: {…} data: {…}" with no blank line), so
  // Prism's body holds no complete event: the client invents none, and says the stream was cut
  // (it used to end quietly, as if complete). Real streams: stream.test.ts.
  async function expectNoInventedEvent(stream: EventStream<{ event: string }>): Promise<void> {
    expect(stream).toBeInstanceOf(EventStream);
    expect(sent.at(-1)!.headers.get("accept")).toBe("text/event-stream");
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events: string[] = [];
    const thrown = await (async () => {
      for await (const event of stream) events.push(event.event);
    })().catch((error: unknown) => error);
    expect(events).toEqual([]);
    expect(thrown).toBeInstanceOf(StreamIncompleteError);
    expect(thrown).toMatchObject({ partial: true });
  }

  it.each(["chatflow", "chat", "agent"] as const)("%s.sendChatMessage with response_mode streaming", async (app) => {
    await expectNoInventedEvent(await streamingCalls.sendChatMessage.call(clientOf(app)));
  });

  it("workflow.runWorkflow with response_mode streaming", async () => {
    await expectNoInventedEvent(await streamingCalls.runWorkflow.call(clientOf("workflow")));
  });
});
