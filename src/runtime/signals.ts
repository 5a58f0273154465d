/**
 * Abort-signal plumbing shared by the call path, the retry loop and streams:
 * linking signals. (An attempt settles early by itself when its signal aborts,
 * so a fetch or a body that ignores its signal still stops: retry.ts.)
 */

/**
 * A controller of our own that also aborts when any of `signals` does. Its
 * listeners on `signals` are removed as soon as it aborts, for whatever
 * reason: the caller's signal may be shared by thousands of calls, so a
 * call (or stream) must abort its controller when it ends (call.ts and stream.ts do).
 */
export function linkedController(...signals: (AbortSignal | undefined)[]): AbortController {
  const controller = new AbortController();
  const linked: [AbortSignal, () => void][] = [];
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    linked.push([signal, onAbort]);
  }
  const unlink = () => linked.forEach(([signal, onAbort]) => signal.removeEventListener("abort", onAbort));
  if (controller.signal.aborted) unlink();
  else controller.signal.addEventListener("abort", unlink, { once: true });
  return controller;
}

/** `AbortSignal.any`, or a linked controller where the runtime lacks it (Node < 20.3, older browsers). */
export function anySignal(signals: AbortSignal[]): AbortSignal {
  return typeof AbortSignal.any === "function" ? AbortSignal.any(signals) : linkedController(...signals).signal;
}
