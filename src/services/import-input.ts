/**
 * The bytes of an import file before any reader sees them (docs/imports.md, "Limits"): cut into
 * pieces of at most 64 KiB, and stopped at the first line longer than `MAX_LINE_BYTES`. So no
 * reader ever holds more than a line and a piece of a line it has not finished, and no single
 * step of reading works on more than that, whatever the file: a file of one 50 MB line is
 * refused after its first 64 KiB, not parsed.
 */
import { Readable } from 'node:stream';
import { lineTooLongMessage, MAX_LINE_BYTES } from '../domain/import-bounds.ts';
import type { RowError } from '../domain/import-formats.ts';

/** Thrown into the readers when the input breaks a bound; `runImport` answers with `error`. */
export class InputRefused extends Error {
  constructor(readonly error: RowError) {
    super(error.message);
    this.name = 'InputRefused';
  }
}

/** The largest piece a reader gets at once. */
const PIECE = 64 * 1024;

/**
 * `input` in pieces of at most 64 KiB, failing with `InputRefused` at a line longer than
 * `maxLine` bytes. Lines end as the readers count them: \r\n, \n or a lone \r.
 */
export function boundedInput(input: Readable, maxLine = MAX_LINE_BYTES): Readable {
  async function* pieces(): AsyncGenerator<Buffer> {
    let line = 1;
    // Bytes of the current line so far, and whether the last piece ended with \r.
    let length = 0;
    let pendingCr = false;
    for await (const value of input as AsyncIterable<Buffer | string>) {
      const chunk = typeof value === 'string' ? Buffer.from(value) : value;
      let at = 0;
      if (pendingCr && chunk.length > 0) {
        if (chunk[0] === 10) at = 1;
        pendingCr = false;
      }
      // The next \n and \r from `at`, each searched again only once passed (native search).
      let nl = chunk.indexOf(10, at);
      let cr = chunk.indexOf(13, at);
      for (;;) {
        if (nl >= 0 && nl < at) nl = chunk.indexOf(10, at);
        if (cr >= 0 && cr < at) cr = chunk.indexOf(13, at);
        const end = nl < 0 ? cr : cr < 0 ? nl : Math.min(nl, cr);
        length += (end < 0 ? chunk.length : end) - at;
        if (length > maxLine) throw new InputRefused({ line, field: null, message: lineTooLongMessage });
        if (end < 0) break;
        line += 1;
        length = 0;
        at = end + 1;
        if (chunk[end] === 13) {
          if (end + 1 === chunk.length) pendingCr = true;
          else if (chunk[end + 1] === 10) at += 1;
        }
      }
      for (let i = 0; i < chunk.length; i += PIECE) yield chunk.subarray(i, i + PIECE);
    }
  }
  return Readable.from(pieces(), { objectMode: false });
}
