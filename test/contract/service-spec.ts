/** Where the Service API spec of record lives, and Prism started on it as the clients see it. */
import { fileURLToPath } from "node:url";
import { startPrism, type PrismServer } from "./prism-server.js";

const at = (file: string) => fileURLToPath(new URL(`../../spec/${file}`, import.meta.url));

export const SERVICE_SPEC = at("dify-service.openapi.yaml");
export const SERVICE_OVERLAY = at("dify-service.overlay.yaml");
export const SERVICE_MEMBERSHIPS = at("dify-service.memberships.json");

/** Prism on the spec with our overlay applied: the error envelope, the event unions. */
export function startServicePrism(): Promise<PrismServer> {
  return startPrism(SERVICE_SPEC, { overlay: SERVICE_OVERLAY });
}
