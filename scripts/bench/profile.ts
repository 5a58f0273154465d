/**
 * CPU profiles taken in-process with the inspector (only the code under study,
 * not module loading), and two ways to read them: where the time is spent
 * (self time, charged to the nearest frame of ours or of a package) and which
 * of our functions it is spent under (inclusive time).
 */
import { Session } from "node:inspector/promises";

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  /** Microseconds before each sample. */
  timeDeltas: number[];
}

/** Profiles `work`, sampling every `intervalUs` microseconds. */
export async function profile<T>(work: () => Promise<T>, intervalUs = 200): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: intervalUs });
  await session.post("Profiler.start");
  try {
    const result = await work();
    const { profile: taken } = (await session.post("Profiler.stop")) as unknown as { profile: CpuProfile };
    return { result, profile: taken };
  } finally {
    session.disconnect();
  }
}

export interface Frame {
  functionName: string;
  /** The script URL as V8 reports it: file:///…, node:…, or "" for natives and VM states. */
  url: string;
}

/** Sample stacks, leaf first, each with the time it stands for (ms). */
function stacks(profile: CpuProfile): { frames: Frame[]; ms: number }[] {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const cache = new Map<number, Frame[]>();
  const stackOf = (id: number): Frame[] => {
    let frames = cache.get(id);
    if (!frames) {
      frames = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)!.callFrame;
        if (frame.functionName !== "(root)") frames.push({ functionName: frame.functionName, url: frame.url });
      }
      cache.set(id, frames);
    }
    return frames;
  };
  return profile.samples.map((id, i) => ({ frames: stackOf(id), ms: (profile.timeDeltas[i] ?? 0) / 1000 }));
}

/**
 * Self time grouped by `classify` of the innermost frame that has a script of ours or of a
 * package: what runs inside node's own JavaScript (undici's Request, streams) or a native
 * (`JSON.stringify`, `structuredClone`) is charged to the code that called it, and `callee`
 * names the first frame of that call (e.g. `Request`). Samples with no such frame (callbacks
 * of node's streams resumed from the microtask queue) go to one bucket; VM states
 * ("(garbage collector)", "(program)") keep their names.
 */
export function selfTimeBy(profile: CpuProfile, classify: (owner: Frame, callee: Frame | undefined) => string | undefined): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { frames, ms } of stacks(profile)) {
    const at = frames.findIndex((frame) => frame.url !== "" && !frame.url.startsWith("node:"));
    const leaf = frames[0];
    const key =
      at >= 0
        ? (classify(frames[at]!, at > 0 ? frames[at - 1] : undefined) ?? "(unclassified)")
        : leaf?.url.startsWith("node:")
          ? "node internals, no caller of ours on the stack (stream and body callbacks)"
          : (leaf?.functionName ?? "(idle)");
    totals.set(key, (totals.get(key) ?? 0) + ms);
  }
  return totals;
}

/** Self time of the innermost frame itself, named by `name` (natives and node internals under their own names). */
export function leafTimeBy(profile: CpuProfile, name: (leaf: Frame) => string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { frames, ms } of stacks(profile)) {
    const key = frames[0] ? name(frames[0]) : "(idle)";
    totals.set(key, (totals.get(key) ?? 0) + ms);
  }
  return totals;
}

/** Inclusive time of every frame `select` names (once per sample, however deep the recursion). */
export function inclusiveTimeBy(profile: CpuProfile, select: (frame: Frame) => string | undefined): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { frames, ms } of stacks(profile)) {
    const keys = new Set(frames.map(select).filter((key): key is string => key !== undefined));
    for (const key of keys) totals.set(key, (totals.get(key) ?? 0) + ms);
  }
  return totals;
}

export function totalMs(profile: CpuProfile): number {
  return profile.timeDeltas.reduce((sum, delta) => sum + delta, 0) / 1000;
}

/**
 * `file:///work/main/src/runtime/call.ts` → `src/runtime/call.ts`; the bench's build of the package
 * (`…/dify-chatflow-bench/package/src/runtime/call.js`) → `src/runtime/call.js`;
 * `…/node_modules/@scope/pkg/…` → `@scope/pkg`.
 */
export function shortUrl(url: string, root: string): string {
  const built = url.split("/dify-chatflow-bench/package/")[1];
  if (built !== undefined) return built;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  const path = url.replace(/^file:\/\//, "");
  return path.startsWith(root + "/") ? path.slice(root.length + 1) : path;
}

/** The largest entries, largest first. */
export function top(totals: Map<string, number>, count: number): [string, number][] {
  return [...totals].sort(([, a], [, b]) => b - a).slice(0, count);
}
