/**
 * Text → server-sent events, by eventsource-parser, plus the two things its
 * own stream class does not do: say that the body ended in the middle of an
 * event (it drops those bytes silently), and stop at a size limit without
 * discarding the complete events already parsed.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";

/**
 * The largest event (its data, or a line not yet ended) the client holds: past it the stream
 * fails instead of buffering a server's 10 MB without a blank line. 1 MiB, as Redocly's
 * client; Dify's largest events (a `message_end` with many retriever resources) are ~100 kB.
 * Counted in UTF-16 characters, eventsource-parser's unit.
 */
export const MAX_EVENT_CHARS = 1024 * 1024;

/** What the parser stream yields: events, then maybe one last word on how the body ended. */
export type SseChunk =
  | { kind: "event"; message: EventSourceMessage }
  /** The body ended with a field line after the last blank line: an event was cut. */
  | { kind: "partial" }
  /** An event grew past `MAX_EVENT_CHARS`; nothing more is read. */
  | { kind: "too-large"; limit: number };

export class SseParserStream extends TransformStream<string, SseChunk> {
  constructor(maxEventChars: number = MAX_EVENT_CHARS) {
    const tail = new TailTracker();
    let stopped = false;
    let controller: TransformStreamDefaultController<SseChunk>;
    const parser = createParser({
      onEvent: (message) => controller.enqueue({ kind: "event", message }),
      onError: (error) => {
        // Other parse errors (an unknown field, a bad `retry`) are ignored, as the SSE standard says.
        if (error.type !== "max-buffer-size-exceeded") return;
        stopped = true;
        controller.enqueue({ kind: "too-large", limit: maxEventChars });
        // Closes our side (events already queued are still read) and cancels the body.
        controller.terminate();
      },
      maxBufferSize: maxEventChars,
    });
    super({
      start(c) {
        controller = c;
      },
      transform(chunk) {
        if (stopped) return;
        tail.feed(chunk);
        parser.feed(chunk);
      },
      flush(c) {
        if (!stopped && tail.open) c.enqueue({ kind: "partial" });
      },
    });
  }
}

/**
 * Whether the text since the last blank line holds a field (a non-comment
 * line), i.e. an event that has not been dispatched. Line ends are CRLF, LF
 * or CR (WHATWG HTML §9.2.5), possibly split across chunks.
 */
class TailTracker {
  /** A field line was seen since the last blank line. */
  #blockHasField = false;
  /** Characters of the current, unfinished line. */
  #lineLength = 0;
  #lineIsComment = false;
  /** The last character was a CR: an LF right after it ends the same line. */
  #afterCr = false;

  get open(): boolean {
    return this.#blockHasField || (this.#lineLength > 0 && !this.#lineIsComment);
  }

  feed(text: string): void {
    let i = 0;
    while (i < text.length) {
      const lf = text.indexOf("\n", i);
      const cr = text.indexOf("\r", i);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      const stop = end === -1 ? text.length : end;
      if (stop > i) {
        if (this.#lineLength === 0) this.#lineIsComment = text.charCodeAt(i) === 0x3a; // ':'
        this.#lineLength += stop - i;
        this.#afterCr = false;
      }
      if (end === -1) return;
      const isCr = text.charCodeAt(end) === 0x0d;
      if (!isCr && this.#afterCr && stop === i) {
        // The LF of a CRLF: the line already ended at the CR.
        this.#afterCr = false;
      } else {
        if (this.#lineLength === 0) this.#blockHasField = false;
        else if (!this.#lineIsComment) this.#blockHasField = true;
        this.#lineLength = 0;
        this.#afterCr = isCr;
      }
      i = end + 1;
    }
  }
}
