/**
 * A knowledge base's flow against the loopback Dify-like server, with the dataset key:
 * create a knowledge base, add a document by file (real multipart, parsed by the server
 * with `Request.formData()`), poll its indexing status until `completed` (the server
 * flips after a counted number of polls: no timers), retrieve chunks, delete it.
 */
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  AuthenticationError,
  ConflictError,
  createKnowledgeClient,
  NotFoundError,
  type CreateDocumentByFileResult,
  type CreateKnowledgeBaseResult,
  type DeleteKnowledgeBaseResult,
  type GetDocumentIndexingStatusResult,
  type KnowledgeClient,
  type RetrieveChunksResult,
  type RunDatasourceNodeEvent,
} from "../../src/index.js";
import { DATASOURCE_NODE_ID, DATASOURCE_PAGES, datasourceStream } from "../fixtures/streams/datasource-stream.js";
import { INDEXING_POLLS, INDEXING_STEPS, startDifyLikeServer, type DifyLikeServer, type DifyLikeServerOptions, type RecordedRequest } from "../support/dify-like-server.js";

/** Three paragraphs: three chunks. Multi-byte text and CR LF, which a careless multipart encoder would mangle. */
const HANDBOOK = [
  "Refunds: a customer may return any item within 30 days — Rückgabe innerhalb von 30 Tagen.",
  "Shipping takes 3–5 business days; express shipping (お急ぎ便) takes one day.",
  "Warranty: electronics carry a two-year warranty.\r\nBatteries are covered for one year.",
].join("\n\n");
const FILE_BYTES = new TextEncoder().encode(HANDBOOK);
const PROCESS = { indexing_technique: "economy", doc_form: "text_model", doc_language: "English", process_rule: { mode: "automatic" } } as const;

let server: DifyLikeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options?: DifyLikeServerOptions): Promise<{ server: DifyLikeServer; client: KnowledgeClient }> {
  server = await startDifyLikeServer(options);
  return { server, client: createKnowledgeClient({ apiKey: server.datasetApiKey, baseUrl: server.baseUrl }) };
}

function jsonBody(request: RecordedRequest | undefined): unknown {
  return JSON.parse(new TextDecoder().decode(request?.body));
}

/** Polls until the batch's document is `completed`, returning every status seen. No sleeps: the server counts polls. */
async function pollUntilIndexed(client: KnowledgeClient, datasetId: string, batch: string, limit = 10): Promise<string[]> {
  const seen: string[] = [];
  while (seen.length < limit) {
    const status = await client.getDocumentIndexingStatus(datasetId, batch);
    expectTypeOf(status).toEqualTypeOf<GetDocumentIndexingStatusResult>();
    const indexing = status.data?.[0]?.indexing_status ?? "(none)";
    seen.push(indexing);
    if (indexing === "completed") return seen;
  }
  throw new Error(`not indexed after ${limit} polls: ${seen.join(", ")}`);
}

describe("a knowledge base, end to end", () => {
  it("creates it, adds a document by file, polls its indexing to completed, retrieves its chunks, deletes it", async () => {
    const { server, client } = await start();

    const dataset = await client.createKnowledgeBase({ name: "Support handbook 📘", description: "FAQ", permission: "only_me" });
    expectTypeOf(dataset).toEqualTypeOf<CreateKnowledgeBaseResult>();
    expect(dataset).toMatchObject({ name: "Support handbook 📘", description: "FAQ", permission: "only_me", document_count: 0 });
    const datasetId = dataset.id!;
    expect(server.requests[0]).toMatchObject({ method: "POST", url: "/v1/datasets" });
    expect(jsonBody(server.requests[0])).toEqual({ name: "Support handbook 📘", description: "FAQ", permission: "only_me" });

    const created = await client.createDocumentByFile(datasetId, {
      file: new File([FILE_BYTES], "handbook — 手引き.txt", { type: "text/plain" }),
      data: JSON.stringify(PROCESS),
    });
    expectTypeOf(created).toEqualTypeOf<CreateDocumentByFileResult>();
    expect(created.document).toMatchObject({ name: "handbook — 手引き.txt", indexing_status: "waiting", data_source_type: "upload_file", doc_form: "text_model" });
    const upload = server.requests[1];
    expect(upload).toMatchObject({ method: "POST", url: `/v1/datasets/${datasetId}/document/create-by-file` });
    expect(upload?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload?.form?.files["file"]).toEqual({ name: "handbook — 手引き.txt", type: "text/plain", bytes: FILE_BYTES });
    expect(JSON.parse(upload?.form?.fields["data"] ?? "null")).toEqual(PROCESS);

    // Before indexing completes, nothing is retrievable.
    const early = await client.retrieveChunks(datasetId, { query: "warranty" });
    expect(early.records).toEqual([]);

    const statuses = await pollUntilIndexed(client, datasetId, created.batch!);
    expect(statuses).toEqual([...INDEXING_STEPS.slice(0, INDEXING_POLLS - 1), "completed"]);
    const polls = server.requests.filter((request) => request.url === `/v1/datasets/${datasetId}/documents/${created.batch}/indexing-status`);
    expect(polls.map((request) => request.method)).toEqual(Array(INDEXING_POLLS).fill("GET"));

    const retrieved = await client.retrieveChunks(datasetId, {
      query: "warranty batteries",
      retrieval_model: { search_method: "keyword_search", reranking_enable: false, top_k: 2, score_threshold_enabled: false },
    });
    expectTypeOf(retrieved).toEqualTypeOf<RetrieveChunksResult>();
    expect(retrieved.query).toEqual({ content: "warranty batteries" });
    expect(retrieved.records).toHaveLength(1);
    const [record] = retrieved.records!;
    expect(record?.score).toBe(1);
    expect(record?.segment).toMatchObject({
      position: 3,
      document_id: created.document?.id,
      content: "Warranty: electronics carry a two-year warranty.\r\nBatteries are covered for one year.",
      document: { id: created.document?.id, name: "handbook — 手引き.txt" },
    });
    const retrieveRequest = server.requests.at(-1);
    expect(retrieveRequest).toMatchObject({ method: "POST", url: `/v1/datasets/${datasetId}/retrieve` });
    expect(jsonBody(retrieveRequest)).toMatchObject({ query: "warranty batteries", retrieval_model: { top_k: 2 } });

    const deleted = await client.deleteKnowledgeBase(datasetId);
    expectTypeOf(deleted).toEqualTypeOf<DeleteKnowledgeBaseResult>();
    expect(deleted).toBeUndefined();
    expect(server.requests.at(-1)).toMatchObject({ method: "DELETE", url: `/v1/datasets/${datasetId}` });
    await expect(client.retrieveChunks(datasetId, { query: "warranty" })).rejects.toBeInstanceOf(NotFoundError);

    // Every knowledge request carried the dataset key, never an app's.
    for (const request of server.requests) expect(request.headers["authorization"]).toBe(`Bearer ${server.datasetApiKey}`);
  });

  it("polls as many times as the server needs: the count is the server's, not the client's", async () => {
    const { client } = await start({ indexingPolls: 6 });
    const dataset = await client.createKnowledgeBase({ name: "slow", indexing_technique: "economy" });
    // The knowledge base's technique applies when the document's data names none.
    const { batch } = await client.createDocumentByFile(dataset.id!, { file: new File(["one\n\ntwo"], "two.md", { type: "text/markdown" }) });
    expect(await pollUntilIndexed(client, dataset.id!, batch!)).toEqual(["waiting", "parsing", "splitting", "indexing", "indexing", "completed"]);
  });
});

describe("runDatasourceNode", () => {
  it("streams the datasource's typed progress events, ending with datasource_completed and its data", async () => {
    const { server, client } = await start();
    const dataset = await client.createKnowledgeBase({ name: "pipeline" });
    const stream = await client.runDatasourceNode(dataset.id!, DATASOURCE_NODE_ID, { inputs: {}, datasource_type: "online_document", is_published: true });

    const received: RunDatasourceNodeEvent[] = [];
    const progress: string[] = [];
    let data: unknown;
    for await (const event of stream) {
      received.push(event);
      if (event.event === "datasource_processing") progress.push(`${event.completed ?? "?"}/${event.total ?? "?"}`);
      if (event.event === "datasource_completed") data = event.data;
    }
    expect(received).toEqual(datasourceStream);
    expect(progress).toEqual(["0/3", "1/3", "2/3"]);
    expect(data).toEqual(DATASOURCE_PAGES);

    const request = server.requests.at(-1);
    expect(await request?.closed).toEqual({ clientDisconnected: false });
    expect(request).toMatchObject({ method: "POST", url: `/v1/datasets/${dataset.id}/pipeline/datasource/nodes/${DATASOURCE_NODE_ID}/run`, eventsWritten: datasourceStream.length });
    expect(request?.headers["authorization"]).toBe(`Bearer ${server.datasetApiKey}`);
    expect(JSON.parse(new TextDecoder().decode(request?.body))).toEqual({ inputs: {}, datasource_type: "online_document", is_published: true });
  });
});

describe("knowledge errors", () => {
  it("an app's key is refused on /datasets with an AuthenticationError", async () => {
    const { server } = await start();
    const appKeyed = createKnowledgeClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
    const error = await appKeyed.createKnowledgeBase({ name: "x" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "unauthorized", operation: "POST /datasets" });
  });

  it("a duplicate name is a ConflictError with Dify's code", async () => {
    const { client } = await start();
    await client.createKnowledgeBase({ name: "twice" });
    await expect(client.createKnowledgeBase({ name: "twice" })).rejects.toMatchObject({ name: "ConflictError", status: 409, code: "dataset_name_duplicate" });
    await expect(client.createKnowledgeBase({ name: "twice" })).rejects.toBeInstanceOf(ConflictError);
  });

  it("a document without an indexing technique anywhere is a BadRequestError", async () => {
    const { client } = await start();
    const dataset = await client.createKnowledgeBase({ name: "no technique" });
    await expect(client.createDocumentByFile(dataset.id!, { file: new File(["text"], "a.txt") })).rejects.toMatchObject({
      name: "BadRequestError",
      status: 400,
      code: "invalid_param",
    });
  });

  it("an unknown knowledge base is a NotFoundError", async () => {
    const { client } = await start();
    await expect(client.getDocumentIndexingStatus("no-such-dataset", "1")).rejects.toMatchObject({ name: "NotFoundError", status: 404, code: "not_found" });
  });
});
