import type { TFunction } from 'i18next';
import { activationProblems, type ActivationFacts } from '../../../../src/domain/contract.ts';
import type { ContractContent } from '../../api/types.ts';

/** Field errors of a contract before it is sent: keyed by item id, or by part name. */
export type ContentErrors = Record<string, string>;

/**
 * Field errors found before the contract is sent, shown next to the field. A goal, responsibility
 * or activity without its text and a next contact without its time: the server refuses these too
 * (domain/contract.ts#validateContent), and an emptied item is an error, never a deletion
 * (removing is the "Ta bort" button). `base` is the saved content: emptying a saved "what
 * matters", which the patient has read, is refused here only; the server takes an empty text.
 */
export function validateContent(
  content: ContractContent,
  t: TFunction,
  base?: ContractContent,
): ContentErrors {
  const errors: ContentErrors = {};
  if (base?.whatMatters.trim() && !content.whatMatters.trim())
    errors.whatMatters = t('errors.required', { field: t('edit.whatMatters').toLowerCase() });
  for (const g of content.goals)
    if (!g.text.trim()) errors[g.id] = t('errors.required', { field: t('goals.text').toLowerCase() });
  for (const r of content.patientResponsibilities)
    if (!r.text.trim())
      errors[r.id] = t('errors.required', { field: t('responsibilities.text').toLowerCase() });
  for (const a of content.activities)
    if (!a.what.trim()) errors[a.id] = t('errors.required', { field: t('plan.what').toLowerCase() });
  if (content.nextContact && !content.nextContact.at)
    errors.nextContact = t('errors.required', { field: t('nextContact.when').toLowerCase() });
  return errors;
}

/**
 * What an active contract lacks (the server's rule, domain/contract.ts), keyed by part:
 * `nextContact`, `fastVardkontakt`, `reviewDate`. Empty when it may be activated.
 */
export function activationErrors(
  content: ContractContent,
  facts: ActivationFacts,
  t: TFunction,
): ContentErrors {
  const errors: ContentErrors = {};
  for (const p of activationProblems(content, facts)) errors[p.part] = t(`flow.missing.${p.part}`);
  return errors;
}

/** Drops empty input a person left behind where nothing is lost by it: a linked plan with no reference or title. */
export function withoutEmptyItems(content: ContractContent): ContractContent {
  return {
    ...content,
    linkedPlans: content.linkedPlans.filter((p) => p.reference.trim() !== '' || p.title),
  };
}

/** Moves focus to the first field marked invalid, so that a keyboard user lands on it. */
export function focusFirstError(): void {
  requestAnimationFrame(() => {
    document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });
}
