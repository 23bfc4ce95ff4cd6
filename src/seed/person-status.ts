/**
 * The demo's protected identity: Birgitta Håkansson (a Skatteverket test personnummer) has
 * sekretessmarkering, so that the demo shows "Skyddad identitet" on her page and in every list
 * (the worklist of her fast vårdkontakt, the team's list, notifications) and her address nowhere.
 * Written as the register's facts would be (services/person-status-service.ts), source `demo`.
 */
import { createPatientStore } from '../store/patient-store.ts';
import type { Db } from '../store/db.ts';
import { createPersonStatusService, registerActor } from '../services/person-status-service.ts';

/** The demo patient with sekretessmarkering. */
export const PROTECTED_DEMO_PERSONNUMMER = '195203072227';

/** A made-up address that the demo keeps on her row: it must leave the server nowhere. */
export const PROTECTED_DEMO_ADDRESS = {
  line: 'Skyddsvägen 7',
  postalCode: '12345',
  city: 'Exempelstad',
  municipalityCode: '9999',
} as const;

/** Marks the demo patient; a re-run changes nothing (the facts are the same). */
export async function seedProtectedIdentity(db: Db, now: Date): Promise<void> {
  const patient = await createPatientStore(db).findByIdentifier(PROTECTED_DEMO_PERSONNUMMER);
  if (!patient) return;
  const status = createPersonStatusService({ db, clock: () => now, regionMunicipalities: [] });
  await db.transaction((tx) =>
    status.applyRegisterFacts(
      tx,
      patient.id,
      { protection: 'sekretessmarkering', address: PROTECTED_DEMO_ADDRESS },
      now,
      { source: 'demo', actor: registerActor('seed') },
    ),
  );
}
