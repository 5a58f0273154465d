/** Entry point `<package>/agent`: the agent client alone, with the errors and option types. */
export * from "../generated/dify/agent.js";
export * from "./public-runtime.js";
