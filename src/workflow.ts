/** Entry point `<package>/workflow`: the workflow client alone, with the errors and option types. */
export * from "../generated/dify/workflow.js";
export * from "./public-runtime.js";
