/** Entry point `<package>/chat`: the chat client alone, with the errors and option types. */
export * from "../generated/dify/chat.js";
export * from "./public-runtime.js";
