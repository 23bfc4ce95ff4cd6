import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { testEngines } from '../../test/helpers/engines.ts';
import { chunkView, eachBinaryRow, instantMicros, viewTimestampMicros } from './binary-copy.ts';
import type { Db } from './db.ts';

const rowsSql = `select g::text as label, case when g % 3 = 0 then null when g % 100 = 1 then repeat('å', 6000) else 'å' || g end as maybe,
                        timestamptz '2024-02-29 23:59:59.123456+00' + g * interval '1 hour' as at
                   from generate_series(1, 500) g`;

/** Reads a binary COPY stream into plain values. */
async function readAll(chunks: AsyncIterable<Buffer>) {
  const rows: [string, string | null, number][] = [];
  const viewOf = chunkView();
  await eachBinaryRow(chunks, 3, (buf, starts, lengths) =>
    rows.push([
      buf.toString('utf8', starts[0], starts[0]! + lengths[0]!),
      lengths[1]! < 0 ? null : buf.toString('utf8', starts[1], starts[1]! + lengths[1]!),
      viewTimestampMicros(viewOf(buf), starts[2]!),
    ]),
  );
  return rows;
}

for (const engine of testEngines) {
  describe(`binary COPY out on ${engine.name}`, () => {
    let db: Db;
    let bytes: Buffer;
    before(async () => {
      db = await engine.open();
      bytes = await db.transaction(async (tx) => {
        const parts: Buffer[] = [];
        for await (const chunk of tx.copyOutBinary!(rowsSql)) parts.push(chunk);
        return Buffer.concat(parts);
      });
    });
    after(() => db.close());

    it('reads every row, null and timestamp to the microsecond as the database has them', async () => {
      const rows = await readAll(
        (async function* () {
          yield bytes;
        })(),
      );
      const expected = await db.query<{ label: string; maybe: string | null; at: string }>(rowsSql);
      assert.equal(rows.length, 500);
      rows.forEach(([label, maybe, at], i) => {
        assert.equal(label, expected[i]!.label);
        assert.equal(maybe, expected[i]!.maybe);
        // The database's ISO string has milliseconds; the microseconds are .123456 on every row.
        assert.equal(at, instantMicros(expected[i]!.at) + 456);
      });
    });

    it('reads the same rows however the stream is cut into chunks', async () => {
      const whole = await readAll(
        (async function* () {
          yield bytes;
        })(),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 20_000 })), {
            minLength: 1,
            maxLength: 20,
          }),
          async (sizes) => {
            const cut = async function* () {
              let at = 0;
              for (let k = 0; at < bytes.length; k += 1) {
                const size = sizes[k % sizes.length]!;
                yield bytes.subarray(at, at + size);
                at += size;
              }
            };
            assert.deepEqual(await readAll(cut()), whole);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('refuses a stream that ends before its trailer', async () => {
      await assert.rejects(
        readAll(
          (async function* () {
            yield bytes.subarray(0, bytes.length - 2);
          })(),
        ),
        /ended early/,
      );
    });
  });
}
