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
    const state: LineState = { line: 1, length: 0, afterCr: false };
    for await (const value of input as AsyncIterable<Buffer | string>) {
      const chunk = typeof value === 'string' ? Buffer.from(value) : value;
      if (!withinBound(chunk, state, maxLine))
        throw new InputRefused({ line: state.line, field: null, message: lineTooLongMessage });
      for (let i = 0; i < chunk.length; i += PIECE) yield chunk.subarray(i, i + PIECE);
    }
  }
  return Readable.from(pieces(), { objectMode: false });
}

/** Where reading is: the line, its bytes so far, and whether the last byte was a \r. */
interface LineState {
  line: number;
  length: number;
  afterCr: boolean;
}

/**
 * Counts `bytes` into `state`; false at the first line longer than `maxLine` (`state.line` is
 * then that line). The line breaks are found by the native search, each byte searched once: a
 * loop over the bytes in JavaScript cost several times as much.
 */
function withinBound(bytes: Buffer, state: LineState, maxLine: number): boolean {
  let at = 0;
  if (state.afterCr && bytes.length > 0) {
    if (bytes[0] === 10) at = 1;
    state.afterCr = false;
  }
  let nl = bytes.indexOf(10, at);
  let cr = bytes.indexOf(13, at);
  for (;;) {
    if (nl >= 0 && nl < at) nl = bytes.indexOf(10, at);
    if (cr >= 0 && cr < at) cr = bytes.indexOf(13, at);
    const end = nl < 0 ? cr : cr < 0 ? nl : Math.min(nl, cr);
    state.length += (end < 0 ? bytes.length : end) - at;
    if (state.length > maxLine) return false;
    if (end < 0) return true;
    state.line += 1;
    state.length = 0;
    at = end + 1;
    if (bytes[end] === 13) {
      if (end + 1 === bytes.length) state.afterCr = true;
      else if (bytes[end + 1] === 10) at += 1;
    }
  }
}
