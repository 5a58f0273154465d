/** Type-checks files with the project's compiler settings and returns `file:line: message` diagnostics. */
import { join } from "node:path";
import ts from "typescript";
import { projectRoot } from "./sandbox.js";

/** The compiler options of the project's tsconfig.json, read once: tests check what `npm test` checks. */
let projectOptions: ts.CompilerOptions | undefined;

function projectCompilerOptions(): ts.CompilerOptions {
  if (!projectOptions) {
    const parsed = ts.getParsedCommandLineOfConfigFile(join(projectRoot, "tsconfig.json"), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, " "));
      },
    });
    if (!parsed) throw new Error("cannot read tsconfig.json");
    projectOptions = parsed.options;
  }
  return projectOptions;
}

export function typeCheck(files: string[]): string[] {
  const program = ts.createProgram(files, { ...projectCompilerOptions(), noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}:${line + 1}: ${message}`;
  });
}
