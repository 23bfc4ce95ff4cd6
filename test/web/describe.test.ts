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

describe('the history shows the mobile care writes', () => {
  it('lists enrolment steps, directives, assessments and escalations with who and when, newest first', async () => {
    const { describeMobileCare } = (await import(describeModule)) as {
      describeMobileCare: (
        care: object,
        t: TFunction,
      ) => { at: string; who: string; what: string; detail?: string }[];
    };
    const entries = describeMobileCare(
      {
        enrolments: [
          {
            id: 'e1',
            teamName: 'Hemsjukvårdsteam Norr',
            targetGroup: 'mest-sjuka',
            history: [
              { action: 'proposed', at: '2026-12-01T08:00:00Z', actorName: 'Läkare A', detail: null },
              { action: 'confirmed', at: '2026-12-01T09:00:00Z', actorName: 'Sköterska B', detail: null },
            ],
          },
        ],
        directives: [
          {
            id: 'd1',
            kind: 'care-level-wish',
            text: 'Vill vårdas hemma',
            recordedBy: { name: 'Läkare A' },
            recordedAt: '2026-12-02T08:00:00Z',
            endedAt: null,
          },
        ],
        assessments: [
          {
            id: 'a1',
            at: '2026-12-03T08:00:00Z',
            by: { name: 'Sköterska B' },
            score: 7,
            outcome: 'contact-physician',
          },
        ],
        escalations: [
          {
            id: 's1',
            sentAt: '2026-12-03T08:05:00Z',
            from: { name: 'Sköterska B' },
            acknowledged: { name: 'Läkare A', at: '2026-12-03T08:07:00Z' },
            decided: null,
            decision: null,
          },
        ],
        team: null,
      },
      t,
    );
    assert.deepEqual(
      entries.map((e) => [e.who, e.what.split(' ')[0]]),
      [
        ['Läkare A', 'mobileTeam.history.escalationAcknowledged'],
        ['Sköterska B', 'mobileTeam.history.escalationSent'],
        ['Sköterska B', 'mobileTeam.history.assessmentScored'],
        ['Läkare A', 'mobileTeam.history.directive'],
        ['Sköterska B', 'mobileTeam.history.enrolment.confirmed'],
        ['Läkare A', 'mobileTeam.history.enrolment.proposed'],
      ],
    );
    assert.ok(entries.every((e) => e.at));
  });
});
