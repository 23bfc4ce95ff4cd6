/**
 * Merging a reservnummer into the person's real number, once it is known (a personnummer or
 * samordningsnummer): everything recorded under the reservnummer (plans and their versions,
 * care contacts, consents, spärrar, care relationships, enrolments, visits …) is the person's,
 * and is moved to their record; the reservnummer's record stays, pointing at it, and the access
 * log keeps naming the reservnummer's id (it is read under the survivor, migration 018). Pure:
 * who may, and when a merge is refused.
 */
import type { StaffActor } from './actor.ts';
import { DomainError } from './errors.ts';
import { formatPersonnummer, type PatientIdKind } from './personnummer.ts';

/**
 * The role that merges: the verksamhetschef answers for the unit's records of patients
 * (Patientdatalagen 2008:355 and HSLF-FS 2016:40 4 kap.: the care provider's and
 * verksamhetschef's responsibility for the record and its identity); a merge moves a person's
 * whole record, so it is not for every member of staff. Access to the patient is still decided
 * (and logged) as for any write.
 */
export const MERGE_ROLE = 'verksamhetschef';

/** One side of a merge, as read under lock. */
export interface MergeParty {
  id: string;
  identifier: string;
  identifierKind: PatientIdKind;
  mergedInto: string | null;
  /** A contract that has not ended. */
  hasCurrentContract: boolean;
}

/** Refuses anyone but a verksamhetschef at the unit they act from. */
export function assertMayMerge(actor: StaffActor): void {
  if (actor.role !== MERGE_ROLE)
    throw new DomainError(
      'forbidden',
      'Att sammanföra ett reservnummer med ett personnummer kräver rollen verksamhetschef.',
    );
}

/**
 * Refuses a merge that cannot be one: `from` must be a reservnummer not yet merged, `into` a
 * personnummer or samordningsnummer not itself merged; two current plans are not joined (the
 * fast vårdkontakt ends one of them first: which goals, which contacts hold is care's decision,
 * not the product's).
 */
export function assertMergeable(from: MergeParty, into: MergeParty): void {
  const refuse = (message: string): never => {
    throw new DomainError('merge_refused', message);
  };
  if (from.identifierKind !== 'reservnummer')
    refuse('Bara ett reservnummer kan sammanföras med ett personnummer.');
  if (from.mergedInto !== null) refuse('Reservnumret är redan sammanfört med ett personnummer.');
  if (into.identifierKind === 'reservnummer')
    refuse(
      'Ett reservnummer sammanförs med ett personnummer eller samordningsnummer, inte med ett annat reservnummer.',
    );
  if (from.id === into.id) refuse('Det är samma person.');
  if (from.hasCurrentContract && into.hasCurrentContract)
    refuse(
      'Både reservnumret och personnumret har ett aktuellt patientkontrakt. Avsluta det ena först; inget har ändrats.',
    );
}

/** The line the history and the access log keep: "Reservnummer PK… sammanfört med 1912…". */
export function mergeSummary(fromIdentifier: string, intoIdentifier: string): string {
  return `Reservnummer ${fromIdentifier} sammanfört med ${formatPersonnummer(intoIdentifier)}`;
}

/** What a unique rule of the database says when both records hold the one thing a person may have. */
export function mergeConflictMessage(constraint: string | null): string {
  switch (constraint ?? '') {
    case 'care_contact_one_fast_vardkontakt':
      return 'Båda har en aktiv fast vårdkontakt. Avsluta den ena först; inget har ändrats.';
    case 'care_contact_one_fast_lakarkontakt':
      return 'Båda har en aktiv fast läkarkontakt. Avsluta den ena först; inget har ändrats.';
    case 'care_contact_one_fast_omsorgskontakt':
      return 'Båda har en aktiv fast omsorgskontakt. Avsluta den ena först; inget har ändrats.';
    case 'enrolment_open_idx':
      return 'Båda är inskrivna i samma mobila team. Avsluta den ena inskrivningen först; inget har ändrats.';
    case 'hospital_stay_one_open':
      return 'Både reservnumret och personnumret har ett pågående vårdtillfälle. Registrera den ena utskrivningen först; inget har ändrats.';
    case 'contract_one_current':
      return 'Både reservnumret och personnumret har ett aktuellt patientkontrakt. Avsluta det ena först; inget har ändrats.';
    default:
      return 'Båda har en uppgift som en person bara kan ha en av. Avsluta den ena först; inget har ändrats.';
  }
}
