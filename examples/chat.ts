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

  // response_mode defaults to "streaming": the result is an async iterable of typed events.
  const stream = await client.sendChatMessage({ query: "Say hello in a few languages", user: "example-user" });
  for await (const event of stream) {
    switch (event.event) {
      case "message":
        process.stdout.write(event.answer); // a token, as soon as it arrives
        break;
      case "message_end":
        console.log(`\n\nconversation: ${event.conversation_id}`);
        console.log(`usage: ${event.metadata.usage?.total_tokens} tokens, ${event.metadata.usage?.total_price} ${event.metadata.usage?.currency}`);
        break;
    }
  }
} finally {
  await server.close();
}
