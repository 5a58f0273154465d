/** Entry point `<package>/knowledge`: the knowledge client alone, with the errors and option types. */
export * from "../generated/dify/knowledge.js";
export * from "./public-runtime.js";
