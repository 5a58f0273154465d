/**
 * codegen.config.json: the clients `npm run generate` builds. Read in one
 * place for the generator, the drift report and `spec:update`.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { GeneratorError } from "./errors.js";
import type { ClientConfig } from "./generate.js";

export const CONFIG_FILE = "codegen.config.json";

/** Every configured entry; `undefined` when the project has no config file. */
export async function readConfig(root: string): Promise<ClientConfig[] | undefined> {
  const text = await readFile(join(root, CONFIG_FILE), "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw new GeneratorError(CONFIG_FILE, undefined, `cannot read it (${error.code ?? error.message})`, "make the file readable");
  });
  if (text === undefined) return undefined;
  let config: { clients?: unknown };
  try {
    config = JSON.parse(text) as typeof config;
  } catch (cause) {
    throw new GeneratorError(CONFIG_FILE, undefined, `not valid JSON (${(cause as Error).message})`, "correct the syntax");
  }
  if (!Array.isArray(config.clients) || config.clients.length === 0) {
    throw new GeneratorError(CONFIG_FILE, undefined, 'lists no clients', 'add { "clients": [{ "spec", "names", "out", … }] }');
  }
  return config.clients as ClientConfig[];
}
