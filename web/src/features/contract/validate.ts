import type { TFunction } from 'i18next';
import type { ContractContent } from '../../api/types.ts';

/** Field errors of a contract before it is sent: keyed by item id, or by part name. */
export type ContentErrors = Record<string, string>;

/** What the server would refuse, said next to the field instead. */
export function validateContent(content: ContractContent, t: TFunction): ContentErrors {
  const errors: ContentErrors = {};
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

/** Drops empty trailing input a person left behind: an item with no text at all. */
export function withoutEmptyItems(content: ContractContent): ContractContent {
  return {
    ...content,
    goals: content.goals.filter((g) => g.text.trim() !== ''),
    patientResponsibilities: content.patientResponsibilities.filter((r) => r.text.trim() !== ''),
    linkedPlans: content.linkedPlans.filter((p) => p.reference.trim() !== '' || p.title),
  };
}
