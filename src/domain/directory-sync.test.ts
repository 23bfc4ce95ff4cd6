/** The directory sync's rules: roles, places, what ends, and the threshold for confirmation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  diffDirectory,
  endsOverThreshold,
  isEmptyDiff,
  normalisePurpose,
  normaliseUnitKind,
  roleAt,
  type CurrentDirectory,
  type Directory,
  type DirectoryAssignment,
} from './directory-sync.ts';

const provider = { id: 'G1', name: 'Region', kind: 'region' as const, huvudman: 'Region' };
const unit = {
  id: 'E1',
  providerId: 'G1',
  name: 'Vårdcentral',
  kind: 'vardcentral' as const,
  municipality: null,
};
const person = (i: number) => ({
  id: `P${i}`,
  givenName: 'A',
  familyName: `B${i}`,
  title: null,
  profession: 'sjukskoterska',
});
const assignment = (i: number, over: Partial<DirectoryAssignment> = {}): DirectoryAssignment => ({
  staffId: `P${i}`,
  unitId: 'E1',
  purpose: 'vard-och-behandling',
  role: 'medarbetare',
  ...over,
});

/** A file of `n` people at one unit, and the database after it was synced. */
function world(n: number): { file: Directory; current: CurrentDirectory } {
  const ids = Array.from({ length: n }, (_, i) => i);
  const file: Directory = {
    providers: [{ ...provider, line: 2 }],
    units: [{ ...unit, line: 2 }],
    staff: ids.map((i) => ({ ...person(i), line: i + 2 })),
    assignments: ids.map((i) => ({ ...assignment(i), line: i + 2 })),
  };
  const current: CurrentDirectory = {
    providers: [provider],
    units: [{ ...unit, isEnded: false }],
    foreignUnits: [],
    staff: ids.map(person),
    assignments: ids.map((i) => assignment(i)),
    places: ids.map((i) => ({
      staffId: `P${i}`,
      unitId: 'E1',
      role: 'medarbetare',
      isEnded: false,
      isManaged: true,
    })),
  };
  return { file, current };
}

describe('the directory sync rules', () => {
  it('changes nothing when the file says what the database holds', () => {
    const { file, current } = world(5);
    assert.ok(isEmptyDiff(diffDirectory(file, current).diff));
  });

  it('gives patient access only through vård och behandling, and keeps a product role', () => {
    assert.equal(roleAt(null, [assignment(1)]), 'medarbetare');
    assert.equal(roleAt(null, [assignment(1, { purpose: 'administration' })]), 'administrativ');
    assert.equal(roleAt('loggansvarig', [assignment(1)]), 'loggansvarig');
    assert.equal(roleAt('medarbetare', [assignment(1, { role: 'verksamhetschef' })]), 'verksamhetschef');
    assert.equal(roleAt('administrativ', [assignment(1)]), 'medarbetare');
  });

  it('ends a place the directory manages, never one the product set up', () => {
    const { file, current } = world(3);
    file.staff = file.staff.slice(0, 1);
    file.assignments = file.assignments.slice(0, 1);
    current.places[2]!.isManaged = false;
    const { diff } = diffDirectory(file, current);
    assert.deepEqual(
      diff.assignments.ended.map((a) => a.staffId),
      ['P1', 'P2'],
    );
    assert.deepEqual(diff.places, [{ staffId: 'P1', unitId: 'E1', role: 'medarbetare', isEnded: true }]);
  });

  it('asks for confirmation above a tenth of a provider’s assignments, not at it', () => {
    const { file, current } = world(20);
    file.assignments = file.assignments.slice(2);
    assert.deepEqual(endsOverThreshold(diffDirectory(file, current).diff, current), []);
    file.assignments = file.assignments.slice(1);
    assert.deepEqual(endsOverThreshold(diffDirectory(file, current).diff, current), [
      { providerId: 'G1', ending: 3, active: 20 },
    ]);
  });

  it('refuses a unit that belongs to a provider the file does not declare', () => {
    const { file, current } = world(1);
    current.foreignUnits = [{ id: 'E1', providerId: 'G-OTHER' }];
    const { errors } = diffDirectory(file, current);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /annan vårdgivare \(G-OTHER\)/);
  });

  it('reads the Swedish spellings of unit kinds and purposes', () => {
    assert.equal(normaliseUnitKind('SÄBO'), 'sabo');
    assert.equal(normaliseUnitKind('Sjukhusklinik'), 'sjukhus');
    assert.equal(normaliseUnitKind('Hemtjänst'), 'hemtjanst');
    assert.equal(normaliseUnitKind('apotek'), null);
    assert.equal(normalisePurpose('Vård och behandling'), 'vard-och-behandling');
    assert.equal(normalisePurpose('Kvalitetssäkring'), 'kvalitetssakring');
    assert.equal(normalisePurpose('vård'), null);
  });
});
