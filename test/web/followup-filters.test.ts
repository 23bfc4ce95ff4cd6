/** The follow-up page's filters in the address (web/src/features/followup/filters.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  apiQuery,
  parseFilter,
  periodOf,
  reportYearOf,
  searchOf,
  type FollowupFilter,
} from '../../web/src/features/followup/filters.ts';

const TODAY = '2026-11-23';
const parse = (search: string): FollowupFilter => parseFilter(new URLSearchParams(search), TODAY);

describe('the follow-up filters in the address', () => {
  it('defaults to the whole region and the last twelve months', () => {
    assert.deepEqual(parse(''), { place: { kind: 'region' }, period: { kind: 'last12' } });
    assert.deepEqual(periodOf({ kind: 'last12' }, TODAY), { from: '2025-12-01', to: TODAY });
    assert.equal(searchOf(parse('')), '');
  });

  it('reads a unit and a year, and writes them back the same', () => {
    const filter = parse('enhet=SE2321000000-V101&ar=2025');
    assert.deepEqual(filter, {
      place: { kind: 'unit', id: 'SE2321000000-V101' },
      period: { kind: 'year', year: 2025 },
    });
    assert.equal(searchOf(filter), 'enhet=SE2321000000-V101&ar=2025');
    assert.equal(
      apiQuery(filter, TODAY, { format: 'csv' }),
      'from=2025-01-01&to=2025-12-31&unitId=SE2321000000-V101&format=csv',
    );
  });

  it('ends the current year and month today, never in the future', () => {
    assert.deepEqual(periodOf({ kind: 'year', year: 2026 }, TODAY), { from: '2026-01-01', to: TODAY });
    assert.deepEqual(parse('fran=2026-09&till=2027-02').period, {
      kind: 'months',
      from: '2026-09',
      to: '2026-11',
    });
    assert.deepEqual(periodOf({ kind: 'months', from: '2026-02', to: '2026-02' }, TODAY), {
      from: '2026-02-01',
      to: '2026-02-28',
    });
  });

  it('puts a range of months in order, and names the yearly report after its last year', () => {
    const filter = parse('vardgivare=SE5560000000-0001&fran=2025-06&till=2024-11');
    assert.deepEqual(filter.period, { kind: 'months', from: '2024-11', to: '2025-06' });
    assert.equal(reportYearOf(filter.period, TODAY), 2025);
    assert.equal(apiQuery(filter, TODAY), 'from=2024-11-01&to=2025-06-30&providerId=SE5560000000-0001');
  });

  it('ignores what it cannot read', () => {
    for (const search of [
      'enhet=<script>',
      'ar=1999',
      'ar=2031',
      'ar=abc',
      'fran=2025-13&till=2025-14',
      'fran=2030-01&till=2030-02',
    ]) {
      const filter = parse(search);
      assert.deepEqual(filter, { place: { kind: 'region' }, period: { kind: 'last12' } }, search);
    }
  });
});
