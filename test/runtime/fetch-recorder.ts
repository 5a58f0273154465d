/** An injected `fetch` that records every request and answers from a script: no global mocks. */
export interface Recorded {
  calls: Request[];
  fetch: (request: Request) => Promise<Response>;
}

export function recordFetch(...responses: (() => Response)[]): Recorded {
  const calls: Request[] = [];
  return {
    calls,
    fetch: async (request) => {
      calls.push(request);
      const next = responses[Math.min(calls.length, responses.length) - 1];
      if (!next) throw new Error("recordFetch: no response scripted");
      return next();
    },
  };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export const noContent = () => () => new Response(null, { status: 204 });
