/** The history's readable changes (web/src/features/history/describe.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TFunction } from 'i18next';
import type { ContractContent } from '../../src/domain/contract.ts';
import { everyFieldChange, fullContent } from '../helpers/contract-fields.ts';

// The web app's i18n module sets the page's language when it loads (describe.ts formats dates
// with it): a bare document is enough here. Imported by a name the server's type check does not
// follow, since it has no DOM types (the web app's own check covers describe.ts).
(globalThis as { document?: unknown }).document ??= { documentElement: {} };
const describeModule = '../../web/src/features/history/describe.ts';
const { describeChanges } = (await import(describeModule)) as {
  describeChanges: (
    before: { content: ContractContent } | null,
    after: { content: ContractContent },
    t: TFunction,
    units: Record<string, string>,
    lng: string,
  ) => { before: string; after: string }[];
};

const t = ((key: string, options?: object) =>
  options ? `${key} ${JSON.stringify(options)}` : key) as TFunction;

describe('the history shows what changed in every field', () => {
  for (const { name, after } of everyFieldChange()) {
    it(`shows a change of ${name} with a different before and after`, () => {
      const changes = describeChanges({ content: fullContent() }, { content: after }, t, {}, 'sv');
      assert.ok(changes.length > 0, name);
      for (const c of changes) assert.notEqual(c.before, c.after, `${name}: ${c.before}`);
    });
  }

  it('shows the note under the agreed time, before and after', () => {
    const base = fullContent();
    const after = { ...base, nextContact: { ...base.nextContact!, note: 'Kom fastande i morgon' } };
    const [change] = describeChanges({ content: base }, { content: after }, t, {}, 'sv');
    assert.match(change!.before, /Kom fastande$/);
    assert.match(change!.after, /Kom fastande i morgon/);
  });
});
