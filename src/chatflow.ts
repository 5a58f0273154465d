/** Entry point `<package>/chatflow`: the chatflow client alone, with the errors and option types. */
export * from "../generated/dify/chatflow.js";
export * from "./public-runtime.js";
