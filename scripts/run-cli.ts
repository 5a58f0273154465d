/**
 * How the project's CLIs end: the exit code main() returns; an expected problem (a GeneratorError, a
 * bad flag) as its one line and exit code 2; anything else, a bug, with its stack and exit code 2.
 */
import { GeneratorError } from "../src/codegen/errors.js";

export function runCli(main: () => Promise<number>): void {
  main().then(
    // exitCode, not exit(): exit() would cut a long report short when stdout is a pipe.
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const oneLine = error instanceof GeneratorError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));
      console.error(oneLine ? `error: ${(error as Error).message}` : error);
      process.exitCode = 2;
    },
  );
}
