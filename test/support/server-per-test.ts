/** One Dify-like server per test, closed after it: for test files that start a fresh server in each test. */
import { afterEach } from "vitest";
import { startDifyLikeServer, type DifyLikeServer, type DifyLikeServerOptions } from "./dify-like-server.js";

/** Call at the top of a test file; each test then starts its server with the returned function. */
export function serverPerTest(): (options?: DifyLikeServerOptions) => Promise<DifyLikeServer> {
  let server: DifyLikeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async (options) => (server = await startDifyLikeServer(options));
}
