/**
 * Merging a reservnummer into the person's real number (domain/patient-merge.ts): a
 * verksamhetschef with write access to the reservnummer's patient names the personnummer or
 * samordningsnummer; the population register must know it (the person's facts come from there,
 * as at a registration). In one transaction: the person is registered if the product does not
 * know them yet, both records are locked, every row of the reservnummer's record moves to the
 * person's, the reservnummer's row points at it, and the history gets the event "Reservnummer
 * PK… sammanfört med …". The access log names it too (action merge-patient).
 */
import { DomainError } from '../domain/errors.ts';
import { assertMayMerge, assertMergeable, mergeSummary } from '../domain/patient-merge.ts';
import { keptOf } from '../domain/person-register.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import type { Db } from '../store/db.ts';
import { recordChangeEvent } from '../store/event-store.ts';
import type { PatientMergeStore } from '../store/patient-merge-store.ts';
import type { Patient, PatientStore } from '../store/patient-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { PersonRegister } from './person-register.ts';

export interface PatientMergeServiceDeps {
  db: Db;
  patients: PatientStore;
  merges: PatientMergeStore;
  register: PersonRegister;
  access: AccessService;
  feed?: ChangeFeed | undefined;
  clock: () => Date;
}

export interface MergeAnswer {
  /** The person the reservnummer now belongs to. */
  patient: Patient;
  /** The reservnummer's record, now pointing at `patient`. */
  merged: { id: string; identifier: string };
  /** Rows moved per table. */
  moved: Record<string, number>;
  summary: string;
}

export function createPatientMergeService(deps: PatientMergeServiceDeps) {
  return {
    /** Merges the reservnummer patient `patientId` into the person with `identifier`. */
    async merge(ctx: RequestContext, patientId: string, identifier: string): Promise<MergeAnswer> {
      const actor = ctx.actor;
      if (actor.kind !== 'staff') throw new DomainError('forbidden');
      assertMayMerge(actor);
      await deps.access.require(ctx, patientId, 'write', 'sammanföring av reservnummer');
      const parsed = parsePatientId(identifier, deps.clock());
      if (!parsed.ok)
        throw new DomainError('invalid_patient_id', parsed.reason, [
          { path: '/identifier', message: parsed.reason },
        ]);
      if (parsed.id.kind === 'reservnummer')
        throw new DomainError('merge_refused', 'Ange personens personnummer eller samordningsnummer.', [
          {
            path: '/identifier',
            message: 'Ett reservnummer sammanförs med ett personnummer eller samordningsnummer.',
          },
        ]);
      const answer = await deps.register.lookup(parsed.id.value, parsed.id.kind);
      if (!answer.found)
        throw new DomainError('not_in_register', undefined, [
          { path: '/identifier', message: 'Numret finns inte i folkbokföringen.' },
        ]);
      const person = keptOf(answer.person);
      const now = deps.clock();
      const at = now.toISOString();
      // Read before the transaction (PGlite has one connection); a registration in between makes
      // the create below fail as patient_exists, and nothing is written.
      const existing = await deps.patients.findByIdentifier(person.identifier);
      const done = await deps.db.transaction(async (tx) => {
        const intoId =
          existing?.id ??
          (await deps.patients.create(tx, {
            identifier: person.identifier,
            identifierKind: person.kind,
            givenName: person.givenName,
            familyName: person.familyName,
            birthDate: person.birthDate,
            sex: person.sex,
            register: {
              source: deps.register.source,
              checkedAt: at,
              address: person.address,
              protection: person.protection,
              deceasedOn: person.deceasedOn,
              movedOutOn: person.movedOutOn,
            },
          }));
        const parties = await deps.merges.lockParties(tx, [patientId, intoId]);
        const from = parties.get(patientId);
        const into = parties.get(intoId);
        if (!from || !into) throw new DomainError('not_found');
        assertMergeable(from, into);
        const moved = await deps.merges.merge(tx, patientId, intoId, { actorId: actor.staffId, at });
        const summary = mergeSummary(from.identifier, into.identifier);
        const event = await recordChangeEvent(tx, {
          patientId: intoId,
          contractId: null,
          kind: 'patient-merged',
          actor,
          summary,
        });
        return { intoId, fromIdentifier: from.identifier, moved, summary, event };
      });
      deps.feed?.publish(done.event);
      await deps.access.logAction(ctx, done.intoId, 'merge-patient', done.summary);
      await deps.access.require(ctx, done.intoId, 'read', 'sammanföring av reservnummer');
      const patient = await deps.patients.findById(done.intoId);
      if (!patient) throw new DomainError('not_found');
      return {
        patient,
        merged: { id: patientId, identifier: done.fromIdentifier },
        moved: done.moved,
        summary: done.summary,
      };
    },
  };
}

export type PatientMergeService = ReturnType<typeof createPatientMergeService>;
