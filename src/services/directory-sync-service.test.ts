/** The directory file formats as docs/imports.md shows them, and their errors by line and field. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseDirectoryFile } from './directory-sync-service.ts';

const docs = readFileSync(new URL('../../docs/imports.md', import.meta.url), 'utf8');
const section = docs.slice(docs.indexOf('## The organisation directory'));
const example = (language: string): string => {
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section);
  assert.ok(match, `an example in ${language}`);
  return match[1]!;
};

describe('the directory formats', () => {
  it('reads the CSV example of docs/imports.md', () => {
    const parsed = parseDirectoryFile(example('csv'), 'csv');
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const { directory } = parsed;
    assert.deepEqual(
      directory.assignments.map((a) => [a.staffId, a.purpose, a.role]),
      [
        ['SE2321000000-P001', 'vard-och-behandling', 'medarbetare'],
        ['SE2321000000-P002', 'vard-och-behandling', 'verksamhetschef'],
        ['SE2321000000-P003', 'administration', 'systemforvaltare'],
      ],
    );
    assert.equal(directory.units[0]!.kind, 'vardcentral');
    assert.equal(directory.staff[0]!.profession, 'sjukskoterska');
    assert.equal(directory.providers[0]!.huvudman, 'Region Gävleborg');
  });

  it('reads the FHIR example of docs/imports.md', () => {
    const parsed = parseDirectoryFile(example('json'), 'fhir');
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.directory.assignments, [
      {
        line: 4,
        staffId: 'SE2321000000-P001',
        unitId: 'SE2321000000-E001',
        purpose: 'vard-och-behandling',
        role: 'medarbetare',
      },
    ]);
    assert.deepEqual(parsed.directory.staff[0]!.title, 'Distriktssköterska');
  });

  it('names the line and field of every bad row, in Swedish', () => {
    const lines = example('csv').trimEnd().split('\n');
    lines[2] = lines[2]!.replace(';lakare;', ';;').replace('SE2321000000-E001', 'SE 1');
    lines.push(lines[1]!.replace('Anna', 'Annika'));
    const parsed = parseDirectoryFile(lines.join('\n'), 'csv');
    assert.ok(!parsed.ok);
    assert.deepEqual(
      parsed.errors.map((e) => [e.line, e.field]),
      [
        [3, 'enhet'],
        [3, 'yrke'],
      ],
    );
    assert.match(parsed.errors[0]!.message, /Inget HSA-id/);
    const repeated = parseDirectoryFile(
      [...example('csv').trimEnd().split('\n'), lines.at(-1)!].join('\n'),
      'csv',
    );
    assert.ok(!repeated.ok);
    assert.deepEqual(
      repeated.errors.map((e) => [e.line, e.field, e.message]),
      [[5, 'hsaid', 'Personen finns redan på rad 2 med andra uppgifter.']],
    );
  });

  it('refuses a unit of a provider the file does not declare, and an unknown column', () => {
    const csv = example('csv');
    const bundle = JSON.parse(example('json')) as { entry: unknown[] };
    bundle.entry.splice(0, 1);
    const parsed = parseDirectoryFile(JSON.stringify(bundle), 'fhir');
    assert.ok(!parsed.ok);
    assert.deepEqual(
      parsed.errors.map((e) => [e.line, e.field]),
      [[1, 'Organization.partOf']],
    );
    const unknown = parseDirectoryFile(csv.replace('roll', 'behorighet'), 'csv');
    assert.ok(!unknown.ok);
    assert.deepEqual(
      unknown.errors.map((e) => [e.line, e.field]),
      [[1, 'behorighet']],
    );
  });
});
