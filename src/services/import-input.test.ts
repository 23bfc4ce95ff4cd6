import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { boundedInput, InputRefused } from './import-input.ts';

/** Reads `pieces` through the bound; the error it ends with, and how many bytes it took from the source. */
async function read(pieces: Buffer[], maxLine: number) {
  let taken = 0;
  async function* source(): AsyncGenerator<Buffer> {
    for (const piece of pieces) {
      taken += piece.length;
      yield piece;
    }
  }
  const out: Buffer[] = [];
  try {
    for await (const chunk of boundedInput(Readable.from(source()), maxLine)) out.push(chunk as Buffer);
    return { refused: null, taken, out: Buffer.concat(out) };
  } catch (error) {
    assert.ok(error instanceof InputRefused);
    return { refused: error.error, taken, out: Buffer.concat(out) };
  }
}

describe('the bound on an import line', () => {
  it('stops a single long line after reading about the bound of it, not the whole file', async () => {
    const piece = Buffer.alloc(1000, 'a');
    const { refused, taken } = await read(
      Array.from({ length: 50_000 }, () => piece),
      64 * 1024,
    );
    assert.equal(refused?.line, 1);
    // The bound, and what the streams between read ahead: not the 50 MB.
    assert.ok(taken <= 2 * 64 * 1024, `${taken} bytes taken`);
  });

  it('names the line the readers count, whatever the line breaks and wherever the pieces end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(12), fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 20 }),
        fc.integer({ min: 13, max: 30 }),
        fc.integer({ min: 1, max: 7 }),
        async (lines, long, size) => {
          const before = lines.map(([n, end]) => 'x'.repeat(n) + end).join('');
          // As csv-parse and the readers count: \r\n once, a lone \r or \n once.
          const at = (before.match(/\r\n|\r|\n/g) ?? []).length;
          const text = before + 'y'.repeat(long) + '\n';
          const bytes = Buffer.from(text);
          const pieces = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
            bytes.subarray(i * size, i * size + size),
          );
          const { refused } = await read(pieces, 12);
          assert.equal(refused?.line, at + 1, JSON.stringify(text));
        },
      ),
    );
  });

  it('passes a file of lines within the bound through unchanged, in pieces of at most 64 KiB', async () => {
    const text = Buffer.from('abc\r\ndef\rghi\n'.repeat(20_000));
    const { refused, out } = await read([text], 64 * 1024);
    assert.equal(refused, null);
    assert.ok(out.equals(text));
  });
});
