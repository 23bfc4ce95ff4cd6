/**
 * Reading PostgreSQL's binary COPY format (`copy … to stdout with (format binary)`), for the
 * analytic queries that move millions of rows into Node: no text to format on the server and
 * none to parse here. The format: an 11-byte signature, flags and a header extension; then per
 * row a 16-bit field count and per field a 32-bit length (−1 for null) and the bytes; a field
 * count of −1 ends the data.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */

/** The 11 bytes that open a binary COPY stream (both directions). */
export const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** One row: field k is `buf[starts[k] .. starts[k] + lengths[k])`, or null when lengths[k] is −1. */
export type BinaryRowReader = (buf: Buffer, starts: Int32Array, lengths: Int32Array) => void;

/** Bytes of the next chunk joined to a row that spans two chunks (longer rows join the whole chunk). */
const SPAN = 4096;

/** Calls `row` for each row of a binary COPY stream. Rows may span chunks. */
export async function eachBinaryRow(
  chunks: AsyncIterable<Buffer>,
  columns: number,
  row: BinaryRowReader,
): Promise<void> {
  const starts = new Int32Array(columns);
  const lengths = new Int32Array(columns);
  let headerDone = false;
  let ended = false;
  /** Reads up to `max` complete rows of `buf` from `at`; returns where the first incomplete one starts. */
  const rows = (buf: Buffer, at: number, max: number): number => {
    for (let n = 0; n < max; n += 1) {
      if (buf.length - at < 2) return at;
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        ended = true;
        return buf.length;
      }
      if (fields !== columns) throw new Error(`binary COPY: expected ${columns} fields, got ${fields}`);
      let p = at + 2;
      for (let k = 0; k < columns; k += 1) {
        if (buf.length - p < 4) return at;
        const length = buf.readInt32BE(p);
        p += 4;
        starts[k] = p;
        lengths[k] = length;
        if (length > 0) p += length;
        if (p > buf.length) return at;
      }
      row(buf, starts, lengths);
      at = p;
    }
    return at;
  };
  let rest: Buffer | null = null;
  for await (const chunk of chunks) {
    if (ended) break;
    let buf = chunk;
    let at = 0;
    if (rest && headerDone) {
      // Finish the row that spans the two chunks in a small joined buffer, then read the chunk
      // where it is (copying every chunk onto the end of the last row costs more than the reading).
      const joined = Buffer.concat([rest, chunk.subarray(0, SPAN)]);
      const end = rows(joined, 0, 1);
      if (end > 0) at = end - rest.length;
      else buf = Buffer.concat([rest, chunk]);
    } else if (rest) buf = Buffer.concat([rest, chunk]);
    rest = null;
    if (!headerDone) {
      if (buf.length < 19) {
        rest = buf;
        continue;
      }
      if (!buf.subarray(0, 11).equals(COPY_SIGNATURE)) throw new Error('not a binary COPY stream');
      const extension = buf.readInt32BE(15);
      if (buf.length < 19 + extension) {
        rest = buf;
        continue;
      }
      at = 19 + extension;
      headerDone = true;
    }
    if (!ended) at = rows(buf, at, Infinity);
    if (at < buf.length && !ended) rest = buf.subarray(at);
  }
  if (!ended) throw new Error('binary COPY stream ended early');
}

/** PostgreSQL's epoch (2000-01-01) in milliseconds and microseconds after the Unix epoch. */
export const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const PG_EPOCH_US = PG_EPOCH_MS * 1000;
/** PostgreSQL's epoch as days after 1970-01-01 (binary `date` counts from it). */
export const PG_EPOCH_DAY = PG_EPOCH_MS / 86_400_000;

/** A day (YYYY-MM-DD) as PostgreSQL's binary `date`: days since 2000-01-01. */
export const binaryDate = (day: string): number =>
  Math.round((Date.parse(`${day}T00:00:00Z`) - PG_EPOCH_MS) / 86_400_000);

/**
 * A DataView of the chunk a row reader was given, made once per chunk: many fixed-width values
 * packed in one field (a bytea) read twice as fast through it as through Buffer's methods.
 */
export function chunkView(): (buf: Buffer) => DataView<ArrayBufferLike> {
  let viewed: Buffer | null = null;
  let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  return (buf) => {
    if (buf !== viewed) {
      viewed = buf;
      view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    }
    return view;
  };
}

/**
 * A binary `timestamptz` (microseconds since 2000-01-01, int64) at `start` as microseconds since
 * 1970 in a double: exact for every instant within ±285 years of 1970.
 */
export const viewTimestampMicros = (view: DataView<ArrayBufferLike>, start: number): number =>
  view.getInt32(start) * 4_294_967_296 + view.getUint32(start + 4) + PG_EPOCH_US;

/** An ISO instant as microseconds since 1970 (the scale of `viewTimestampMicros`). */
export const instantMicros = (iso: string): number => Date.parse(iso) * 1000;

/**
 * Numbers byte strings (ids read from a binary COPY) 0, 1, 2, … in the order first seen, without
 * making a JavaScript string of each: open addressing over FNV-1a hashes, the bytes kept in one
 * growing arena. Millions of lookups a second where a `Map` of decoded strings manages a fraction.
 */
export class ByteKeys {
  private arena = Buffer.alloc(1 << 16);
  private used = 0;
  private starts: Int32Array = new Int32Array(1 << 10);
  private lengths: Int32Array = new Int32Array(1 << 10);
  private hashes: Int32Array = new Int32Array(1 << 10);
  /** Slot → id + 1 (0: empty). */
  private slots = new Int32Array(1 << 11);
  size = 0;

  /** The id of `buf[start .. start + length)`, numbering it if it is new. */
  id(buf: Buffer, start: number, length: number): number {
    return this.find(buf, start, length, true);
  }

  /** The id of the bytes, or −1 when they have not been seen. */
  lookup(buf: Buffer, start: number, length: number): number {
    return this.find(buf, start, length, false);
  }

  /** The bytes of `id`, decoded. */
  key(id: number, encoding: BufferEncoding = 'utf8'): string {
    return this.arena.toString(encoding, this.starts[id], this.starts[id]! + this.lengths[id]!);
  }

  /** The id that `other` gives this set's key `id`, or −1 when `other` has not seen it. */
  idIn(other: ByteKeys, id: number): number {
    return other.lookup(this.arena, this.starts[id]!, this.lengths[id]!);
  }

  private find(buf: Buffer, start: number, length: number, add: boolean): number {
    let hash = 0x811c9dc5;
    const end = start + length;
    for (let i = start; i < end; i += 1) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const { slots, hashes, lengths } = this;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) break;
      const id = entry - 1;
      if (hashes[id] === hash && lengths[id] === length && this.equals(id, buf, start, length)) return id;
    }
    if (!add) return -1;
    return this.add(buf, start, length, hash);
  }

  private equals(id: number, buf: Buffer, start: number, length: number): boolean {
    const arena = this.arena;
    const at = this.starts[id]! - start;
    for (let i = start; i < start + length; i += 1) if (arena[at + i] !== buf[i]) return false;
    return true;
  }

  private add(buf: Buffer, start: number, length: number, hash: number): number {
    const id = this.size;
    if (this.used + length > this.arena.length) {
      const arena = Buffer.alloc(Math.max(this.arena.length * 2, this.used + length));
      this.arena.copy(arena, 0, 0, this.used);
      this.arena = arena;
    }
    if (id === this.starts.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.lengths = grow(this.lengths);
      this.hashes = grow(this.hashes);
    }
    buf.copy(this.arena, this.used, start, start + length);
    this.starts[id] = this.used;
    this.lengths[id] = length;
    this.hashes[id] = hash;
    this.used += length;
    this.size += 1;
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[id]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity);
    for (let id = 0; id < this.size; id += 1) this.place(id);
  }
}

/** Writes rows in binary COPY format (for `COPY … FROM STDIN`), one buffer per chunk. */
export class CopyWriter {
  private out = Buffer.allocUnsafe(1 << 18);
  at = 0;
  // Values are written byte by byte: Buffer's write and copy methods cost more per call than
  // the few bytes they move here (a million rows of eleven fields).
  room(n: number): void {
    if (this.at + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.at + n));
    this.out.copy(bigger, 0, 0, this.at);
    this.out = bigger;
  }
  int16(v: number): void {
    this.room(2);
    const out = this.out;
    out[this.at] = v >>> 8;
    out[this.at + 1] = v;
    this.at += 2;
  }
  int32(v: number): void {
    this.room(4);
    const out = this.out;
    const at = this.at;
    out[at] = v >>> 24;
    out[at + 1] = v >>> 16;
    out[at + 2] = v >>> 8;
    out[at + 3] = v;
    this.at = at + 4;
  }
  /** Microseconds in a double as int64: two 32-bit halves, no BigInt. */
  int64(v: number): void {
    const high = Math.floor(v / 0x1_0000_0000);
    this.int32(high);
    this.int32(v - high * 0x1_0000_0000);
  }
  byte(v: number): void {
    this.room(1);
    this.out[this.at++] = v;
  }
  bytes(from: Buffer, start: number, end: number): void {
    this.room(end - start);
    const out = this.out;
    let at = this.at;
    for (let i = start; i < end; i++) out[at++] = from[i]!;
    this.at = at;
  }
  /** A field of `bytes.length` bytes. */
  field(bytes: Buffer): void {
    this.int32(bytes.length);
    this.bytes(bytes, 0, bytes.length);
  }
  /** A text field, UTF-8. */
  text(value: string): void {
    this.room(4 + value.length * 3);
    const length = this.out.write(value, this.at + 4);
    this.int32(length);
    this.at += length;
  }
  /** The rows so far; the next go into a new buffer. */
  take(): Buffer {
    const done = this.out.subarray(0, this.at);
    this.out = Buffer.allocUnsafe(Math.max(1 << 16, this.at + (this.at >> 2)));
    this.at = 0;
    return done;
  }
  header(): void {
    this.bytes(COPY_SIGNATURE, 0, COPY_SIGNATURE.length);
    this.int32(0);
    this.int32(0);
  }
}
