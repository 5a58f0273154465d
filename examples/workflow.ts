/**
 * Streams a workflow run and prints its events as they arrive: each node as it starts
 * and finishes, the LLM's text token by token, then the run's outputs.
 *
 *   npm run example:workflow
 *
 * Runs against a loopback server that speaks Dify's SSE format (started here), so it
 * needs no API key; point `baseUrl` and `apiKey` at a real Dify Workflow app to use one.
 */
import { createWorkflowClient } from "../src/index.js";
import { startDifyLikeServer } from "../test/support/dify-like-server.js";

// A pause between network writes, so the events visibly arrive one by one.
const server = await startDifyLikeServer({ chunkDelayMs: 15 });
try {
  const client = createWorkflowClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });

  // Streaming must be asked for: without response_mode, Dify answers blocking (one JSON result).
  // `inputs` is required: the workflow's input variables, `{}` when it defines none.
  const stream = await client.runWorkflow({ inputs: { topic: "Cologne Cathedral", words: 12 }, user: "example-user", response_mode: "streaming" });
  let streamingText = false;
  for await (const event of stream) {
    if (streamingText && event.event !== "text_chunk") {
      process.stdout.write("\n");
      streamingText = false;
    }
    switch (event.event) {
      case "workflow_started":
        // Keep task_id to stop the run (client.stopWorkflowTask), workflow_run_id to read it back later.
        console.log(`run ${event.workflow_run_id ?? "?"} started (task ${event.task_id ?? "?"})`);
        break;
      case "node_started":
        console.log(`  ▶ ${event.data?.title ?? event.data?.node_id ?? "node"} (${event.data?.node_type ?? "?"})`);
        break;
      case "text_chunk":
        if (!streamingText) process.stdout.write("    ");
        process.stdout.write(event.data?.text ?? ""); // a token, as soon as it arrives
        streamingText = true;
        break;
      case "node_finished":
        console.log(`  ■ ${event.data?.title ?? event.data?.node_id ?? "node"}: ${event.data?.status ?? "?"} in ${event.data?.elapsed_time ?? "?"} s`);
        break;
      case "workflow_finished": {
        // The spec marks every event field optional: handle what may be missing.
        const run = event.data;
        console.log(`\nrun ${run?.status ?? "?"}: ${run?.total_steps ?? "?"} steps, ${run?.total_tokens ?? "?"} tokens, ${run?.elapsed_time ?? "?"} s`);
        console.log(`outputs: ${JSON.stringify(run?.outputs ?? {})}`);
        break;
      }
    }
  }
} finally {
  await server.close();
}
