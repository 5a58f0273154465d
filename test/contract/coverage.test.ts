/** Fails when the spec has an operation without a facade method or without a contract call. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildOperationModel } from "../../src/codegen/operation-model.js";
import { readSpec } from "../../src/codegen/spec-document.js";
import { chatflowOperations } from "../../src/index.js";
import { contractCalls } from "./operation-calls.js";

const SPEC = fileURLToPath(new URL("../../spec/chatflow.openapi.yaml", import.meta.url));

describe("operation coverage", () => {
  it("has a facade method and a contract call for every operation of the spec", async () => {
    const specOperations = buildOperationModel(await readSpec(SPEC)).map((op) => op.key).sort();
    const facade = Object.values(chatflowOperations).map((op) => `${op.method} ${op.path}`).sort();
    expect(facade).toEqual(specOperations);

    const tested = Object.keys(contractCalls).sort();
    expect(tested).toEqual(Object.keys(chatflowOperations).sort());
  });
});
