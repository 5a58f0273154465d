/**
 * A small piece of app code, the kind an app team writes over the client: ask the Chatflow
 * app a question and collect the streamed answer, starting a new conversation when the one
 * the app remembered is gone. examples/support-bot.test.ts tests it against the typed mock
 * (`dify-service-client/testing`), with no server.
 */
import { NotFoundError, type ChatflowClient } from "../src/index.js";

export interface Answer {
  text: string;
  conversationId: string | undefined;
  /** The app's remembered conversation was gone (deleted, expired): this answer started a new one. */
  restarted: boolean;
}

export async function ask(client: ChatflowClient, user: string, question: string, conversationId?: string): Promise<Answer> {
  try {
    return { ...(await streamAnswer(client, user, question, conversationId)), restarted: false };
  } catch (error) {
    // Dify answers 404 not_found for a conversation_id it no longer has: start over without it.
    if (!(error instanceof NotFoundError) || conversationId === undefined) throw error;
    return { ...(await streamAnswer(client, user, question, undefined)), restarted: true };
  }
}

async function streamAnswer(client: ChatflowClient, user: string, query: string, conversationId: string | undefined) {
  const stream = await client.sendChatMessage({
    query,
    user,
    inputs: {},
    response_mode: "streaming",
    ...(conversationId !== undefined && { conversation_id: conversationId }),
  });
  let text = "";
  let id = conversationId;
  for await (const event of stream) {
    if (event.event === "message") text += event.answer ?? "";
    if (event.event === "message_end") id = event.conversation_id ?? id;
  }
  return { text, conversationId: id };
}
