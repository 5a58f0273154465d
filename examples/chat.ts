/**
 * Streams a chat answer token by token, the way a chat UI would.
 *
 *   npm run example:chat
 *
 * Runs against a loopback server that speaks Dify's SSE format (started here), so it
 * needs no API key; point `baseUrl` and `apiKey` at a real Dify app to use one.
 */
import { createChatflowClient } from "../src/index.js";
import { startDifyLikeServer } from "../test/support/dify-like-server.js";

// A pause between network writes, so the tokens visibly arrive one by one.
const server = await startDifyLikeServer({ chunkDelayMs: 15 });
try {
  const client = createChatflowClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });

  // Streaming must be asked for: without response_mode, Dify answers blocking (one JSON result).
  // `inputs` is required: the app's input variables, `{}` when it defines none.
  const stream = await client.sendChatMessage({ query: "Say hello in a few languages", inputs: {}, user: "example-user", response_mode: "streaming" });
  for await (const event of stream) {
    switch (event.event) {
      case "message":
        process.stdout.write(event.answer ?? ""); // a token, as soon as it arrives
        break;
      case "message_end": {
        // The spec marks every event field optional: handle what may be missing.
        const usage = event.metadata?.usage;
        console.log(`\n\nconversation: ${event.conversation_id ?? "(none)"}`);
        console.log(usage ? `usage: ${usage.total_tokens ?? "?"} tokens, ${usage.total_price ?? "?"} ${usage.currency ?? ""}`.trimEnd() : "usage: not reported");
        break;
      }
    }
  }
} finally {
  await server.close();
}
