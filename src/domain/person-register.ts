/**
 * What the population register (folkbokföringen) says about a person, as the product takes it:
 * from the imported register or from the national person service (services/person-register.ts).
 * Pure: the shapes, and what of it the product keeps. What follows from a protection marker, a
 * death or a move is domain/person-status.ts.
 *
 * Source: Skatteverket, "Skyddade personuppgifter": for a person with skyddad folkbokföring
 * (Folkbokföringslag 1991:481, 16 §) the registered address is not where they live, and the
 * product keeps none.
 */
import type { Protection, RegisterAddress, RegisterFacts } from './person-status.ts';

export type { Protection, RegisterAddress } from './person-status.ts';

/** One person as the register describes them. */
export interface RegisterPerson {
  /** 12 digits, normalised. */
  identifier: string;
  kind: 'personnummer' | 'samordningsnummer';
  givenName: string;
  familyName: string;
  birthDate: string | null;
  sex: 'female' | 'male' | null;
  /** Null: the register gives none (always so with skyddad folkbokföring). */
  address: RegisterAddress | null;
  protection: Protection;
  deceasedOn: string | null;
  /** The day the person moved out of the region (or emigrated). */
  movedOutOn: string | null;
}

/** A lookup's answer: the person, or that the register does not know the number. */
export type RegisterAnswer = { found: true; person: RegisterPerson } | { found: false };

/**
 * The person as the product keeps them: with skyddad folkbokföring no address and no
 * municipality (the registered ones are not where the person lives, and would lead there).
 */
export function keptOf(person: RegisterPerson): RegisterPerson {
  if (person.protection !== 'skyddad-folkbokforing' || person.address === null) return person;
  return { ...person, address: null };
}

/** The facts of `person` that domain/person-status.ts acts on. */
export function registerFactsOf(person: RegisterPerson): RegisterFacts {
  const kept = keptOf(person);
  return {
    protection: kept.protection,
    deceasedOn: kept.deceasedOn,
    movedOutOn: kept.movedOutOn,
    address: kept.address,
  };
}
