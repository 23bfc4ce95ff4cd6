/**
 * The patient's own answers to SKR's 7 questions (content.selfAssessment), for the
 * follow-up page's "share yes per question". About half of the active contracts get a
 * version written by the patient some days after the last staff version. The answers follow the
 * contract (a fast vårdkontakt, an agreed next contact, linked plans) with some noise. Drawn from
 * a stream of their own (from the contract's uuid), so the rest of the demo data is unchanged.
 */
import { diffContent, type ContractContent, type QuestionAnswers } from '../domain/contract.ts';
import { swedishInstant } from './calendar.ts';
import { fullName, type Person } from './patients.ts';
import { mix32, Rng } from './random.ts';
import type { ContractRow, ContractVersionRow } from './write.ts';

const SELF_ASSESSMENT_STREAM = 0x5e1f;

const hashOf = (text: string): number => [...text].reduce((h, c) => mix32(h, c.charCodeAt(0)), 0);

function answersOf(rng: Rng, content: ContractContent, answeredAt: string): QuestionAnswers {
  const hasFvk = content.answers?.items.some((i) => i.questionId === 'q4' && i.answer === 'ja') ?? false;
  const isAgreed = content.nextContact?.agreement === 'overenskommen';
  const answer = (pYes: number): 'ja' | 'nej' | 'vet-inte' =>
    rng.chance(pYes) ? 'ja' : rng.chance(0.6) ? 'nej' : 'vet-inte';
  return {
    questionSetId: 'skr-7-fragor-patient',
    questionSetVersion: 1,
    answeredAt,
    items: [
      { questionId: 'p1', answer: answer(0.62) },
      { questionId: 'p2', answer: answer(content.goals.length > 0 ? 0.75 : 0.45) },
      { questionId: 'p3', answer: answer(0.7) },
      { questionId: 'p4', answer: answer(hasFvk ? 0.92 : 0.25) },
      { questionId: 'p5', answer: answer(content.nextContact ? 0.85 : 0.35) },
      { questionId: 'p6', answer: answer(isAgreed ? 0.88 : 0.3) },
      { questionId: 'p7', answer: answer(content.linkedPlans.length > 0 ? 0.6 : 0.35) },
    ],
  };
}

/** An active contract, perhaps with a last version in which the patient answered the 7 questions. */
export function withSelfAssessment(
  built: { row: ContractRow; versions: ContractVersionRow[]; firstDay: number },
  p: Person,
  today: number,
  lastDay: number,
): { row: ContractRow; versions: ContractVersionRow[]; firstDay: number } {
  const rng = new Rng(mix32(hashOf(built.row.id), SELF_ASSESSMENT_STREAM), 0);
  const day = Math.min(today - 1, lastDay + rng.int(1, 21));
  if (!rng.chance(0.5) || day <= lastDay) return built;
  const last = built.versions[built.versions.length - 1]!;
  const at = swedishInstant(day, 18, rng.int(0, 59));
  const content: ContractContent = { ...last.content, selfAssessment: answersOf(rng, last.content, at) };
  const version: ContractVersionRow = {
    contract_id: built.row.id,
    version: last.version + 1,
    status: last.status,
    content,
    changed_at: at,
    actor_kind: 'patient',
    actor_id: p.id,
    actor_name: fullName(p),
    actor_unit_id: null,
    changes: diffContent(last.content, content, last.status, last.status),
  };
  return {
    ...built,
    versions: [...built.versions, version],
    row: { ...built.row, version: version.version, content, updated_by: p.id, updated_at: at },
  };
}
