/**
 * The one error type the generator reports: a single line naming the file,
 * the location (line:col where there is one) and the fix.
 */
export interface SourceLocation {
  line: number;
  col: number;
}

export class GeneratorError extends Error {
  override readonly name = "GeneratorError";
  constructor(
    readonly file: string,
    readonly location: SourceLocation | undefined,
    readonly problem: string,
    readonly fix: string,
  ) {
    const where = location ? `${file}:${location.line}:${location.col}` : file;
    super(oneLine(`${where}: ${problem}. Fix: ${fix}`));
  }
}

/** Spec text can hold newlines; an error line must stay one line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ");
}
