/**
 * The bounds of an import file (docs/imports.md, "Limits"): how long a line may be, and how much
 * of the input an error may repeat. A file is read in pieces of at most a line, so a bound on the
 * line bounds what the reader holds and how long one step of reading takes; a bound on what an
 * error repeats keeps the answer small whatever the file holds.
 */

/** The longest line (or CSV record, when a quoted field spans lines) an import reads, in bytes. */
export const MAX_LINE_BYTES = 64 * 1024;

/** The most characters of the input an error message or field name repeats. */
export const EXCERPT_CHARS = 100;

/** The longest error message, the repeated input included. */
const MESSAGE_CHARS = 400;

/** `text` as an error may repeat it: the first `EXCERPT_CHARS` characters, then "…". */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  // Not between the two halves of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** One problem, bounded: a field name (from a CSV header or an NDJSON key) and a message of bounded length. */
export function boundedError<E extends { field: string | null; message: string }>(error: E): E {
  const field = error.field === null ? null : excerpt(error.field);
  const message = excerpt(error.message, MESSAGE_CHARS);
  return field === error.field && message === error.message ? error : { ...error, field, message };
}

/** Bytes written the Swedish way (65 536). */
export function byteCount(n: number): string {
  return n.toLocaleString('sv-SE');
}

export const lineTooLongMessage = `Raden är längre än ${byteCount(MAX_LINE_BYTES)} byte, den längsta rad en importfil får ha.`;
