import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

// "Today" and the day of an instant come from src/domain/swedish-time.ts only. These are the other
// ways to get a day, each wrong for the first hour or two of a Swedish day or a second copy of the
// summer-time rule.
const forbidden: { pattern: RegExp; why: string }[] = [
  { pattern: /toISOString\(\)\s*\.\s*(slice|substring|substr)\(\s*0\s*,\s*10\s*\)/, why: 'the UTC date' },
  { pattern: /toISOString\(\)\s*\.\s*split\(\s*'T'\s*\)/, why: 'the UTC date' },
  {
    pattern: /\bcurrent_date\b|\bnow\(\)\s*::\s*date\b|\bcurrent_timestamp\s*::\s*date\b|\blocaltimestamp\b/i,
    why: "the day in the database session's time zone",
  },
  { pattern: /timeZone:\s*['"]Europe\/Stockholm['"]/, why: 'a second Swedish-time implementation' },
];

const root = join(import.meta.dirname, '..');
const allowed = new Set(['src/domain/swedish-time.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx|sql)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('one Swedish day', () => {
  it('computes no day from UTC, the database session or a second time-zone rule outside swedish-time.ts', () => {
    const offences: string[] = [];
    for (const file of ['src', 'web/src', 'migrations'].flatMap(sourceFiles)) {
      if (allowed.has(relative(root, join(root, file)))) continue;
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(\/\/|\*|\/\*|--)/.test(line)) return; // a comment may name what not to do
          for (const { pattern, why } of forbidden)
            if (pattern.test(line)) offences.push(`${file}:${i + 1}: ${why}: ${line.trim()}`);
        });
    }
    assert.deepEqual(offences, []);
  });
});
