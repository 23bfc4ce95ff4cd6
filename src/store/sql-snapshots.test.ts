/**
 * The SQL snapshots (sql-snapshots/*.sql) are the statements the stores send: rendered again here
 * and compared. `UPDATE_SQL_SNAPSHOTS=1` (`npm run sql:snapshots`) writes them instead.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hotStatements, snapshotOf } from './sql-snapshots.ts';

const dir = join(import.meta.dirname, 'sql-snapshots');
const isUpdating = process.env.UPDATE_SQL_SNAPSHOTS === '1';

describe('SQL snapshots', () => {
  for (const hot of hotStatements) {
    it(`sql-snapshots/${hot.name}.sql is the statement the store sends`, () => {
      const file = join(dir, `${hot.name}.sql`);
      const expected = snapshotOf(hot);
      if (isUpdating) writeFileSync(file, expected);
      let actual: string;
      try {
        actual = readFileSync(file, 'utf8');
      } catch {
        assert.fail(`${file} is missing: run npm run sql:snapshots`);
      }
      assert.equal(actual, expected, `${file} differs from the store's statement: run npm run sql:snapshots`);
    });
  }

  it('keeps no snapshot of a statement that is gone', () => {
    const known = new Set(hotStatements.map((hot) => `${hot.name}.sql`));
    const stale = readdirSync(dir).filter((name) => name.endsWith('.sql') && !known.has(name));
    if (isUpdating) for (const name of stale) unlinkSync(join(dir, name));
    else assert.deepEqual(stale, [], 'snapshots of statements no longer sent: run npm run sql:snapshots');
  });
});
