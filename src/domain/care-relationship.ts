/**
 * What counts as a care relationship between a care unit and a patient: the precondition for
 * staff at that unit to read the patient's plan at all (Patientdatalagen 2008:355, 4 kap 1 §:
 * only those who take part in the patient's care, or otherwise need the information for their
 * work in the care, may read it). The access rule (`access.ts#decideAccess`) asks only whether
 * the reader's unit is among `relationshipUnitIds`; this module says which units those are.
 *
 * A unit has a care relationship with the patient when any one of the sources below names it.
 * The SQL that reads the units (store/access-facts-store.ts) implements exactly this, one
 * query per source, and a test checks the two against each other on the same data.
 * A new source (e.g. the members of a team the patient is enrolled with) is a new member of
 * `CareRelationshipSource`, a new field of `CareRelationshipSources`, a line in
 * `relationshipUnitIdsOf` and a query in the store; TypeScript asks for the last one.
 */

import { DomainError } from './errors.ts';

/** The kinds of care relationship, each a way a unit takes part in the patient's care. */
export type CareRelationshipSource =
  /** The patient is listed at the unit (the vårdcentral where they are listed). */
  | 'listing'
  /** The unit holds an active fast vårdkontakt, fast läkar- or omsorgskontakt, or treating role. */
  | 'care-contact'
  /** The current (draft or active) plan has an activity at the unit. */
  | 'plan-activity'
  /** The current plan's next contact is at the unit. */
  | 'plan-next-contact'
  /** The unit drew up the current plan (it holds it). */
  | 'plan-holder'
  /**
   * A relationship registered by hand (e.g. a ward that takes over), from its start date to its
   * end date (Swedish calendar days, both included), until it is ended.
   */
  | 'registered'
  /**
   * The patient is enrolled in a mobile care team (proposed, active or paused): the units the
   * team's current members act from for the team (region and municipality alike). Consent and
   * spärr across care providers still hold (access.ts), as for every other source.
   */
  | 'team-enrolment';

/** Every source, in the order the store reads them. */
export const CARE_RELATIONSHIP_SOURCES: readonly CareRelationshipSource[] = [
  'listing',
  'care-contact',
  'plan-activity',
  'plan-next-contact',
  'plan-holder',
  'registered',
  'team-enrolment',
];

/** A registered care relationship as the rule needs it. */
export interface RegisteredRelationship {
  unitId: string;
  /** First day (Swedish calendar day, `YYYY-MM-DD`). */
  startDate: string;
  /** Last day, included; null: open-ended. */
  endDate: string | null;
  /** When it was ended by hand (an instant); null while it stands. */
  endedAt: string | null;
}

/** What the sources hold about one patient. */
export interface CareRelationshipSources {
  listedUnitId: string | null;
  /** The units of the patient's active care contacts (ended or declined ones do not count). */
  activeCareContactUnitIds: readonly string[];
  /** The patient's current (not ended) plan, or null. */
  currentPlan: {
    ownerUnitId: string | null;
    activityUnitIds: readonly (string | null | undefined)[];
    nextContactUnitId: string | null | undefined;
  } | null;
  registered: readonly RegisteredRelationship[];
  /** The units of the current members of the teams the patient is enrolled in (not ended). */
  teamEnrolmentUnitIds?: readonly string[] | undefined;
}

/** Does a registered relationship count on `today` (a Swedish calendar day)? */
export function isRegisteredRelationshipCurrent(r: RegisteredRelationship, today: string): boolean {
  return r.endedAt === null && r.startDate <= today && (r.endDate === null || r.endDate >= today);
}

/**
 * The units with a care relationship to the patient on `today` (a Swedish calendar day), each
 * once, sorted: the union of the units each source names.
 */
export function relationshipUnitIdsOf(sources: CareRelationshipSources, today: string): string[] {
  const bySource: Record<CareRelationshipSource, readonly (string | null | undefined)[]> = {
    listing: [sources.listedUnitId],
    'care-contact': sources.activeCareContactUnitIds,
    'plan-activity': sources.currentPlan?.activityUnitIds ?? [],
    'plan-next-contact': [sources.currentPlan?.nextContactUnitId],
    'plan-holder': [sources.currentPlan?.ownerUnitId],
    registered: sources.registered
      .filter((r) => isRegisteredRelationshipCurrent(r, today))
      .map((r) => r.unitId),
    'team-enrolment': sources.teamEnrolmentUnitIds ?? [],
  };
  const units = new Set<string>();
  for (const source of CARE_RELATIONSHIP_SOURCES) {
    for (const unitId of bySource[source]) if (typeof unitId === 'string') units.add(unitId);
  }
  return [...units].sort();
}

/** A relationship registered by hand ends on or after the day it starts: 400 otherwise. */
export function checkRegisteredDates(startDate: string, endDate: string | undefined): void {
  if (endDate && endDate < startDate) {
    throw new DomainError('invalid_input', 'Slutdatum kan inte ligga före startdatum.', [
      { path: '/endDate', message: 'Före start.' },
    ]);
  }
}
