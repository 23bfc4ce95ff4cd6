/**
 * Spärr applied to what a reader sees: items held by a blocked unit or provider are removed,
 * and the reader is told only that blocked information exists (security.md 5).
 */
import type { ContractContent } from './contract.ts';

/** The content without items held by hidden units; `hasBlockedInformation` when something was removed. */
export function redactContent(
  content: ContractContent,
  isHidden: (unitId: string) => boolean,
): { content: ContractContent; hasBlockedInformation: boolean } {
  const activities = content.activities.filter((a) => !isHidden(a.unitId));
  const linkedPlans = content.linkedPlans.filter((p) => !isHidden(p.unitId));
  const nextContact =
    content.nextContact && isHidden(content.nextContact.unitId) ? null : content.nextContact;
  const hasBlockedInformation =
    activities.length !== content.activities.length ||
    linkedPlans.length !== content.linkedPlans.length ||
    nextContact !== content.nextContact;
  return { content: { ...content, activities, linkedPlans, nextContact }, hasBlockedInformation };
}

/**
 * A writer who cannot see blocked items must not delete them by saving what they see: the
 * hidden items of the current version are carried over into the new one.
 */
export function restoreHidden(
  current: ContractContent,
  incoming: ContractContent,
  isHidden: (unitId: string) => boolean,
): ContractContent {
  return {
    ...incoming,
    activities: [
      ...incoming.activities.filter((a) => !isHidden(a.unitId)),
      ...current.activities.filter((a) => isHidden(a.unitId)),
    ],
    linkedPlans: [
      ...incoming.linkedPlans.filter((p) => !isHidden(p.unitId)),
      ...current.linkedPlans.filter((p) => isHidden(p.unitId)),
    ],
    nextContact:
      current.nextContact && isHidden(current.nextContact.unitId)
        ? current.nextContact
        : incoming.nextContact,
  };
}
