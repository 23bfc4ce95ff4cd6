/** The contract's pure rules: what an active contract must hold, no silent loss, every change seen. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  activationParts,
  activationProblems,
  assertActivatable,
  diffContent,
  emptyContractContent,
  validateContent,
  type ContractContent,
} from './contract.ts';
import type { DomainError } from './errors.ts';
import { everyFieldChange, fullContent } from '../../test/helpers/contract-fields.ts';

describe('what an active contract must hold', () => {
  const complete = { ...emptyContractContent(), ...fullContent() };
  const none = { fastVardkontakt: null } as const;

  it('names each missing part of an empty contract: next contact, fast vårdkontakt, review date', () => {
    const problems = activationProblems(emptyContractContent(), none);
    assert.deepEqual(
      problems.map((p) => p.part),
      [...activationParts],
    );
    for (const p of problems) assert.match(p.message, /saknas/);
  });

  it('accepts a stated reason instead of a time, and a decision or a recorded contact instead of a fast vårdkontakt', () => {
    const c: ContractContent = { ...complete, nextContact: null, fastVardkontaktDecision: null };
    assert.deepEqual(
      activationProblems(c, { fastVardkontakt: 'declined' }).map((p) => p.part),
      [],
    );
    assert.deepEqual(
      activationProblems({ ...c, noNextContactReason: '   ' }, { fastVardkontakt: 'active' }).map(
        (p) => p.part,
      ),
      ['nextContact'],
    );
  });

  it('lets a draft lack every part', () => {
    assertActivatable(null, { status: 'draft', content: emptyContractContent() }, none);
  });

  for (const part of activationParts) {
    it(`refuses to make a contract active without ${part}, naming it at its path`, () => {
      const lacking: ContractContent = {
        ...complete,
        ...(part === 'nextContact' ? { nextContact: null, noNextContactReason: null } : {}),
        ...(part === 'fastVardkontakt' ? { fastVardkontaktDecision: null } : {}),
        ...(part === 'reviewDate' ? { reviewDate: null } : {}),
      };
      for (const before of [null, { status: 'draft' as const, content: complete }]) {
        assert.throws(
          () => assertActivatable(before, { status: 'active', content: lacking }, none),
          (e: DomainError) =>
            e.code === 'contract_incomplete' && e.details.length === 1 && e.details[0]?.path === `/${part}`,
        );
      }
      // Staying active: losing the part is refused; a contract that never had it may still be edited.
      assert.throws(() =>
        assertActivatable(
          { status: 'active', content: complete },
          { status: 'active', content: lacking },
          none,
        ),
      );
      assertActivatable(
        { status: 'active', content: lacking },
        { status: 'active', content: { ...lacking, whatMatters: 'Ändrat' } },
        none,
      );
    });
  }
});

describe('no item is lost silently', () => {
  for (const [list, field] of [
    ['goals', 'text'],
    ['patientResponsibilities', 'text'],
    ['activities', 'what'],
  ] as const) {
    it(`refuses an emptied ${list} ${field}, naming the field`, () => {
      const c = fullContent();
      const item = { ...c[list][0]!, [field]: '  ' };
      assert.throws(
        () => validateContent({ ...c, [list]: [item] }),
        (e: DomainError) => e.code === 'invalid_input' && e.details[0]?.path === `/${list}/0/${field}`,
      );
    });
  }
});

describe('the history sees every change', () => {
  for (const { name, part, after } of everyFieldChange()) {
    it(`reports a change of ${name} as a change of ${part}`, () => {
      const changes = diffContent(fullContent(), after);
      assert.ok(
        changes.some((c) => c.part === part),
        `${name}: ${JSON.stringify(changes)}`,
      );
    });
  }
});
