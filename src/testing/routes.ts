/**
 * From a client's operations index (`chatflowOperations`: method name → HTTP method and path
 * template) to the method a request calls, and from a request to the `MockRequest` handlers see.
 */
import type { OperationInfo } from "../runtime/operation.js";
import type { MockRequest } from "./handlers.js";

export interface Route {
  name: string;
  info: OperationInfo;
  /** The template's names, in order: `["conversation_id"]`. */
  params: string[];
  pattern: RegExp;
}

export function routesOf(operations: Readonly<Record<string, OperationInfo>>): Route[] {
  const routes = Object.entries(operations).map(([name, info]): Route => {
    const params: string[] = [];
    const source = info.path
      .split(/(\{[^{}]+\})/)
      .map((part) => {
        const param = /^\{([^{}]+)\}$/.exec(part);
        if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        params.push(param[1]!);
        return "([^/]+)";
      })
      .join("");
    return { name, info, params, pattern: new RegExp(`^${source}$`) };
  });
  // A literal segment wins over a parameter (`/datasets/tags` before `/datasets/{dataset_id}`).
  return routes.sort((a, b) => a.params.length - b.params.length);
}

/** The route and decoded path parameters for a method and a path below the base URL. */
export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; pathParams: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.info.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const pathParams: Record<string, string> = {};
    route.params.forEach((name, i) => (pathParams[name] = decodeURIComponent(match[i + 1]!)));
    return { route, pathParams };
  }
  return undefined;
}

/** Reads a request (a clone: the body stays unread) into what a handler receives. */
export async function mockRequest(request: Request, route: Route, pathParams: Record<string, string>): Promise<MockRequest> {
  const url = new URL(request.url);
  const body = await readBody(request.clone());
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (typeof body === "object" && body !== null && !Array.isArray(body) && !(body instanceof FormData)) Object.assign(params, body);
  return {
    name: route.name,
    method: route.info.method,
    path: route.info.path,
    url,
    pathParams,
    query: url.searchParams,
    body,
    params,
    headers: request.headers,
    streaming: /text\/event-stream/i.test(request.headers.get("accept") ?? ""),
  };
}

async function readBody(request: Request): Promise<unknown> {
  if (request.body === null) return undefined;
  const type = request.headers.get("content-type") ?? "";
  if (/^multipart\/form-data/i.test(type)) return request.formData();
  const text = await request.text();
  if (text === "") return undefined;
  if (/json/i.test(type)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
