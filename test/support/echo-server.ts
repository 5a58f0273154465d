/**
 * A loopback HTTP server (127.0.0.1, port 0) that records each request's raw
 * bytes and answers what the test scripts: for checking what a client really
 * puts on the wire (media types, encodings) and how it reads odd answers
 * (a proxy's 200 HTML page, an empty 200, a stream cut short).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface EchoRequest {
  method: string;
  url: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
}

export type EchoHandler = (request: EchoRequest, res: ServerResponse) => void | Promise<void>;

export interface EchoServer {
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string;
  requests: EchoRequest[];
  close(): Promise<void>;
}

const answerNoContent: EchoHandler = (_request, res) => void res.writeHead(204).end();

export async function startEchoServer(handler: EchoHandler = answerNoContent): Promise<EchoServer> {
  const requests: EchoRequest[] = [];
  const server = createServer((req, res) => {
    res.on("error", () => undefined);
    void record(req)
      .then(async (request) => {
        requests.push(request);
        await handler(request, res);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function record(req: IncomingMessage): Promise<EchoRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  return { method: req.method ?? "", url: req.url ?? "", headers, body: new Uint8Array(Buffer.concat(chunks)) };
}
