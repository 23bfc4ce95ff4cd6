/** What the pure rule tests in src/domain share: a member of staff, a patient, an error matcher. */
import type { PatientActor, StaffActor } from '../../src/domain/actor.ts';
import { DomainError } from '../../src/domain/errors.ts';

export const staff: StaffActor = {
  kind: 'staff',
  staffId: 'S1',
  name: 'S',
  profession: 'sjukskoterska',
  unitId: 'U1',
  providerId: 'P1',
  role: 'medarbetare',
};

export const patient: PatientActor = { kind: 'patient', patientId: 'p1', name: 'P' };

/** Matches an `invalid_input` error, and when `path` is given, one that names that field. */
export const isInvalidInput = (path?: string) => (error: unknown) =>
  error instanceof DomainError &&
  error.code === 'invalid_input' &&
  (path === undefined || error.details?.some((d) => d.path === path) === true);
