/**
 * `logLevel` / `logger`: silent by default; at "debug" one line per request and
 * per response, a warning per retry and an error for a call that got no response;
 * method, URL without query values, status, attempt, duration and request id, and
 * never the key, a header, a body or a query value.
 */
import { describe, expect, it } from "vitest";
import { getConversationVariables, listConversations } from "../../src/index.js";
import type { Logger } from "../../src/runtime/index.js";
import { connectionFailure, json, recordFetch, recordedConfig } from "./fetch-recorder.js";

const API_KEY = "app-LOGsecret7f3a9c";

function recordingLogger() {
  const lines: { level: keyof Logger; message: string; data: Record<string, unknown> }[] = [];
  const logger: Logger = {
    error: (message, data) => lines.push({ level: "error", message, data }),
    warn: (message, data) => lines.push({ level: "warn", message, data }),
    info: (message, data) => lines.push({ level: "info", message, data }),
    debug: (message, data) => lines.push({ level: "debug", message, data }),
  };
  return { logger, lines };
}

describe("logging", () => {
  it("is silent by default: the logger is never called", async () => {
    const { logger, lines } = recordingLogger();
    const recorded = recordFetch(json(200, { data: [], has_more: false, limit: 20 }));
    const { config } = recordedConfig(recorded, { apiKey: API_KEY, logger });
    await listConversations(config, { user: "u-1" });
    expect(lines).toEqual([]);
  });

  it("logs each attempt at debug: request, response with status, duration and request id, the retry", async () => {
    const { logger, lines } = recordingLogger();
    const recorded = recordFetch(json(503, { code: "busy", message: "try later", status: 503 }), json(200, { data: [], has_more: false, limit: 20 }, { "x-request-id": "req-77" }));
    const { config } = recordedConfig(recorded, { apiKey: API_KEY, logger, logLevel: "debug" });
    await listConversations(config, { user: "secret-user-id", limit: 20 });
    // Durations vary; the retry's wait is the recorded clock's (0.5 s, no jitter).
    expect(lines.map((l) => `${l.level} ${l.level === "info" ? l.message.replace(/in \d+ ms/, "in N ms") : l.message}`)).toEqual([
      "debug → GET https://api.dify.ai/v1/conversations?user&limit (attempt 1)",
      "info ← GET https://api.dify.ai/v1/conversations?user&limit 503 in N ms (attempt 1)",
      "warn GET /conversations: retrying after 503 in 500 ms (attempt 2 of 3)",
      "debug → GET https://api.dify.ai/v1/conversations?user&limit (attempt 2)",
      "info ← GET https://api.dify.ai/v1/conversations?user&limit 200 in N ms (attempt 2, request id req-77)",
    ]);
    expect(lines[4]!.data).toMatchObject({ method: "GET", status: 200, attempt: 2, requestId: "req-77" });
    const rendered = JSON.stringify(lines);
    for (const secret of [API_KEY, "LOGsecret", "secret-user-id", "try later", "Bearer"]) expect(rendered).not.toContain(secret);
  });

  it("logs a call that got no response as an error, and honours the level (info: no debug lines)", async () => {
    const { logger, lines } = recordingLogger();
    const recorded = recordFetch(connectionFailure("ECONNRESET"), connectionFailure("ECONNRESET"), connectionFailure("ECONNRESET"));
    const { config } = recordedConfig(recorded, { apiKey: API_KEY, logger, logLevel: "info" });
    await expect(getConversationVariables(config, "c-1", { user: "u" })).rejects.toThrow(/connection failed/);
    expect(lines.map((l) => l.level)).toEqual(["warn", "warn", "error"]);
    expect(lines[2]!.message).toBe("GET /conversations/{conversation_id}/variables failed: no connection (attempt 3)");
  });

  it("refuses an unknown level when the client is created", () => {
    const recorded = recordFetch();
    expect(() => recordedConfig(recorded, { apiKey: API_KEY, logLevel: "verbose" as never })).toThrow(/logLevel must be one of silent, error, warn, info, debug/);
    // An Object.prototype name is no level either (it used to pass an `in` check and log nothing).
    expect(() => recordedConfig(recorded, { apiKey: API_KEY, logLevel: "toString" as never })).toThrow(/logLevel must be one of/);
  });
});
