/** Entry point `<package>/completion`: the completion client alone, with the errors and option types. */
export * from "../generated/dify/completion.js";
export * from "./public-runtime.js";
