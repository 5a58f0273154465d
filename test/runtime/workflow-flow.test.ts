/**
 * A Workflow app's flow against the loopback Dify-like server: a streamed run read event
 * by event, its task stopped, a blocking run, a run by workflow ID, and the run detail
 * read back. What the server received is asserted byte for byte where it matters.
 */
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  AuthenticationError,
  createWorkflowClient,
  EventStream,
  NotFoundError,
  type GetWorkflowRunDetailResult,
  type RunWorkflowByIdEvent,
  type RunWorkflowEvent,
  type RunWorkflowResult,
  type StopWorkflowTaskResult,
  type WorkflowClient,
} from "../../src/index.js";
import {
  OUTPUT,
  WORKFLOW_ID,
  WORKFLOW_INPUTS,
  WORKFLOW_RUN_ID,
  WORKFLOW_TASK_ID,
  workflowBlockingAnswer,
  workflowRunningEvents,
  workflowStopped,
  workflowStream,
} from "../fixtures/streams/workflow-stream.js";
import { startDifyLikeServer, type DifyLikeServer, type DifyLikeServerOptions, type RecordedRequest } from "../support/dify-like-server.js";

const USER = "user-1";

let server: DifyLikeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options?: DifyLikeServerOptions): Promise<{ server: DifyLikeServer; client: WorkflowClient }> {
  server = await startDifyLikeServer(options);
  return { server, client: createWorkflowClient({ apiKey: server.apiKey, baseUrl: server.baseUrl }) };
}

function jsonBody(request: RecordedRequest | undefined): unknown {
  return JSON.parse(new TextDecoder().decode(request?.body));
}

describe("runWorkflow, streaming", () => {
  it("yields the recorded run's typed events in order, then stops its task with the user", async () => {
    const { server, client } = await start();
    const stream = await client.runWorkflow({ inputs: WORKFLOW_INPUTS, user: USER, response_mode: "streaming" });
    expectTypeOf(stream).toEqualTypeOf<EventStream<RunWorkflowEvent>>();
    expect(stream).toBeInstanceOf(EventStream);

    const received: RunWorkflowEvent[] = [];
    let text = "";
    let taskId: string | undefined;
    let runId: string | undefined;
    for await (const event of stream) {
      received.push(event);
      if (event.event === "workflow_started") {
        // Narrowed by `event`: the started payload, whose `reason` a node event has not.
        expectTypeOf(event.data).toEqualTypeOf<Extract<RunWorkflowEvent, { event: "workflow_started" }>["data"]>();
        taskId = event.task_id;
        runId = event.workflow_run_id;
      }
      if (event.event === "text_chunk") text += event.data?.text ?? "";
    }
    expect(received).toEqual(workflowStream);
    expect(received.at(-1)?.event).toBe("workflow_finished");
    expect(text).toBe(OUTPUT);
    expect(runId).toBe(WORKFLOW_RUN_ID);
    expect(taskId).toBe(WORKFLOW_TASK_ID);

    const [run] = server.requests;
    // The server's count is final once it closed the response.
    expect(await run?.closed).toEqual({ clientDisconnected: false });
    expect(run).toMatchObject({ method: "POST", url: "/v1/workflows/run", eventsWritten: workflowStream.length });
    expect(run?.headers["authorization"]).toBe(`Bearer ${server.apiKey}`);
    expect(run?.headers["content-type"]).toMatch(/^application\/json/);
    expect(jsonBody(run)).toEqual({ inputs: WORKFLOW_INPUTS, user: USER, response_mode: "streaming" });

    const stopped = await client.stopWorkflowTask(taskId!, { user: USER });
    expectTypeOf(stopped).toEqualTypeOf<StopWorkflowTaskResult>();
    expect(stopped).toEqual({ result: "success" });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]).toMatchObject({ method: "POST", url: `/v1/workflows/tasks/${WORKFLOW_TASK_ID}/stop` });
    expect(jsonBody(server.requests[1])).toEqual({ user: USER });

    const detail = await client.getWorkflowRunDetail(runId!);
    expect(detail).toMatchObject({ id: WORKFLOW_RUN_ID, workflow_id: WORKFLOW_ID, status: "succeeded", outputs: { summary: OUTPUT } });
    expect(JSON.parse(detail.inputs ?? "null")).toEqual(WORKFLOW_INPUTS);
  });

  it("stops a running task: the held stream then ends with a stopped workflow_finished, and the run detail says stopped", async () => {
    const { server, client } = await start({ workflow: "until-stopped" });
    const stream = await client.runWorkflow({ inputs: WORKFLOW_INPUTS, user: USER, response_mode: "streaming" });

    const received: RunWorkflowEvent[] = [];
    let stopResult: StopWorkflowTaskResult | undefined;
    let detailWhileRunning: GetWorkflowRunDetailResult | undefined;
    for await (const event of stream) {
      received.push(event);
      // The last event before the server holds the run: stop it from inside the loop.
      if (received.length === workflowRunningEvents.length && event.event === "node_finished") {
        detailWhileRunning = await client.getWorkflowRunDetail(event.workflow_run_id!);
        stopResult = await client.stopWorkflowTask(event.task_id!, { user: "someone-else" });
      }
    }
    expect(detailWhileRunning?.status).toBe("running");
    expect(stopResult).toEqual({ result: "success" });
    expect(received).toEqual([...workflowRunningEvents, workflowStopped]);
    const last = received.at(-1);
    expect(last?.event === "workflow_finished" && last.data?.status).toBe("stopped");

    const stop = server.requests.find((request) => request.url.endsWith("/stop"));
    expect(stop).toMatchObject({ method: "POST", url: `/v1/workflows/tasks/${WORKFLOW_TASK_ID}/stop` });
    expect(jsonBody(stop)).toEqual({ user: "someone-else" });
    expect((await client.getWorkflowRunDetail(WORKFLOW_RUN_ID)).status).toBe("stopped");
  });
});

describe("runWorkflow, blocking", () => {
  it("resolves with the typed JSON result when response_mode is omitted, and sends none", async () => {
    const { server, client } = await start();
    const result = await client.runWorkflow({ inputs: WORKFLOW_INPUTS, user: USER });
    expectTypeOf(result).toEqualTypeOf<RunWorkflowResult>();
    expect(result).toEqual(workflowBlockingAnswer);
    expect(result.data?.outputs).toEqual({ summary: OUTPUT });
    expect(jsonBody(server.requests[0])).toEqual({ inputs: WORKFLOW_INPUTS, user: USER });
  });

  it('resolves with the JSON result for response_mode "blocking" too', async () => {
    const { client } = await start();
    const result = await client.runWorkflow({ inputs: {}, user: USER, response_mode: "blocking" });
    expect(result).not.toBeInstanceOf(EventStream);
    expect(result).toEqual(workflowBlockingAnswer);
  });
});

describe("runWorkflowById", () => {
  it("streams the published version named in the path", async () => {
    const { server, client } = await start();
    const stream = await client.runWorkflowById(WORKFLOW_ID, { inputs: WORKFLOW_INPUTS, user: USER, response_mode: "streaming" });
    const events: RunWorkflowByIdEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events).toEqual(workflowStream);
    expect(server.requests[0]).toMatchObject({ method: "POST", url: `/v1/workflows/${WORKFLOW_ID}/run` });
  });

  it("rejects an unknown workflow with a NotFoundError carrying Dify's status and code", async () => {
    const { client } = await start();
    const error = await client.runWorkflowById("no-such-version", { inputs: {}, user: USER }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "not_found", operation: "POST /workflows/{workflow_id}/run" });
  });
});

describe("workflow errors", () => {
  it("getWorkflowRunDetail of an unknown run is a NotFoundError", async () => {
    const { client } = await start();
    await expect(client.getWorkflowRunDetail("unknown-run")).rejects.toMatchObject({ name: "NotFoundError", status: 404, code: "not_found" });
  });

  it("the knowledge key does not open an app's API", async () => {
    const { server } = await start();
    const client = createWorkflowClient({ apiKey: server.datasetApiKey, baseUrl: server.baseUrl });
    const error = await client.runWorkflow({ inputs: {}, user: USER }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
    expect(String(error)).not.toContain(server.datasetApiKey);
  });
});
