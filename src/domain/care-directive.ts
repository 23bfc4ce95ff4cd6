/**
 * What the plan says about the level of care, beside every assessment: the patient's own wish
 * (anyone in the team writes it down as the patient said it), a physician's documented treatment
 * limitation, and a physician's order that SpO₂ is scored on NEWS2 scale 2 (for hypercapnic
 * respiratory failure, e.g. KOL with a target saturation of 88–92 %). Each carries who and when;
 * an ended directive is kept, with when it ended.
 */
import { DomainError } from './errors.ts';
import type { Spo2Scale } from './news2.ts';
import { physicianProfessions } from './team.ts';

export const careDirectiveKinds = ['care-level-wish', 'treatment-limitation', 'spo2-scale-2'] as const;
export type CareDirectiveKind = (typeof careDirectiveKinds)[number];
export const careDirectiveKindLabels: Record<CareDirectiveKind, string> = {
  'care-level-wish': 'Patientens önskemål om vårdnivå',
  'treatment-limitation': 'Behandlingsbegränsning (läkare)',
  'spo2-scale-2': 'SpO₂ bedöms med NEWS2 skala 2 (läkare)',
};

/** Kinds only a physician may record (and end). */
export const physicianOnlyKinds: readonly CareDirectiveKind[] = ['treatment-limitation', 'spo2-scale-2'];

export interface CareDirective {
  id: string;
  patientId: string;
  kind: CareDirectiveKind;
  text: string;
  recordedBy: { staffId: string; name?: string | undefined; unitId: string };
  recordedAt: string;
  endedAt?: string | null | undefined;
  endedBy?: { staffId: string; unitId: string } | null | undefined;
}

/** Throws unless a person of this profession may record or end a directive of this kind. */
export function assertMayRecordDirective(kind: CareDirectiveKind, profession: string): void {
  if (physicianOnlyKinds.includes(kind) && !physicianProfessions.includes(profession))
    throw new DomainError('care_directive_physician_only');
}

/** What is wrong with a new directive, in Swedish. */
export function careDirectiveProblems(input: {
  kind: unknown;
  text: unknown;
}): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!careDirectiveKinds.includes(input.kind as CareDirectiveKind))
    problems.push({ path: '/kind', message: 'Välj vad som dokumenteras.' });
  if (typeof input.text !== 'string' || input.text.trim() === '')
    problems.push({ path: '/text', message: 'Skriv vad som gäller.' });
  else if (input.text.length > 2000)
    problems.push({ path: '/text', message: 'Texten får vara högst 2000 tecken.' });
  return problems;
}

/** A directive in force at `now`: recorded, not ended. */
export function isInForce(d: Pick<CareDirective, 'recordedAt' | 'endedAt'>, now: Date): boolean {
  return Date.parse(d.recordedAt) <= now.getTime() && (!d.endedAt || Date.parse(d.endedAt) > now.getTime());
}

/** The SpO₂ scale for a patient: 2 only while a physician's 'spo2-scale-2' directive is in force. */
export function spo2ScaleFor(
  directives: readonly Pick<CareDirective, 'kind' | 'recordedAt' | 'endedAt'>[],
  now: Date,
): Spo2Scale {
  return directives.some((d) => d.kind === 'spo2-scale-2' && isInForce(d, now)) ? 2 : 1;
}

/** Throws `care_directive_ended` when the directive has already ended. */
export function assertMayEnd(d: Pick<CareDirective, 'endedAt'>): void {
  if (d.endedAt) throw new DomainError('care_directive_ended');
}
