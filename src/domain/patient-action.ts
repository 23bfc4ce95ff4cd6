/**
 * What the patient does in their own plan (Region Gävleborg, handlingsplan Patientkontrakt 2021: "I take part in shaping the plan,
 * I know what I am responsible for, I know my next step"): tick off their responsibilities,
 * confirm the next contact or ask for another time, write what matters to them and propose
 * goals, and answer the patient version of SKR's 7 questions.
 *
 * The patient's words stay the patient's: they live in their own fields (or, for goals, carry
 * `proposedByPatient`) and are never merged into staff's text. Staff adopt them by editing;
 * `keepPatientParts` makes sure a staff save can neither forge nor silently drop them.
 *
 * Pure functions: each returns the new content and the change event's kind and summary, or
 * null when nothing changes (ticking a ticked box writes no version).
 */
import type { ChangeEventKind } from './notification.ts';
import {
  emptyContractContent,
  isDeepEqual,
  type AmbitionLevel,
  type ContractContent,
  type Goal,
  type NextContact,
  type QuestionAnswers,
  type answerValues,
  type nextContactResponses,
} from './contract.ts';
import { DomainError } from './errors.ts';

export interface PatientChange {
  content: ContractContent;
  kind: ChangeEventKind;
  /** The one-line summary of the change event and the fast vårdkontakt's notification. */
  summary: string;
}

/** Free text in a one-line summary: shortened, on one line. */
export function shorten(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** Ticks (or unticks) one of the patient's own responsibilities. */
export function tickResponsibility(
  content: ContractContent,
  responsibilityId: string,
  isDone: boolean,
  now: string,
): PatientChange | null {
  const item = content.patientResponsibilities.find((r) => r.id === responsibilityId);
  if (!item) throw new DomainError('not_found', 'Ansvaret finns inte i planen.');
  if ((item.isDone ?? false) === isDone) return null;
  const patientResponsibilities = content.patientResponsibilities.map((r) => {
    if (r.id !== responsibilityId) return r;
    const { doneAt: _doneAt, isDone: _isDone, ...rest } = r;
    return isDone ? { ...rest, isDone: true, doneAt: now } : rest;
  });
  return {
    content: { ...content, patientResponsibilities },
    kind: 'contract-changed',
    summary: isDone ? `Bockade av: ${shorten(item.text)}` : `Ångrade avbockning: ${shorten(item.text)}`,
  };
}

export interface NextContactAnswer {
  response: (typeof nextContactResponses)[number];
  /** The time the patient answers: it must still be the next contact's time. */
  at: string;
  message?: string | undefined;
}

/**
 * Confirms the next contact (it becomes agreed: "från erbjuden tid … till överenskommen tid")
 * or asks for another time, which the fast vårdkontakt sees in their worklist.
 */
export function respondToNextContact(
  content: ContractContent,
  answer: NextContactAnswer,
  now: string,
): PatientChange | null {
  const current = content.nextContact;
  if (!current) throw new DomainError('not_found', 'Planen har ingen nästa kontakt att svara på.');
  if (Date.parse(current.at) !== Date.parse(answer.at)) throw new DomainError('next_contact_changed');
  const message = answer.message?.trim() ? answer.message.trim() : undefined;
  const previous = current.patientResponse;
  if (previous && previous.response === answer.response && previous.message === message) return null;
  const { patientRequestedChange: _flag, patientResponse: _previous, ...rest } = current;
  const patientResponse = { response: answer.response, ...(message ? { message } : {}), respondedAt: now };
  const nextContact: NextContact =
    answer.response === 'confirmed'
      ? { ...rest, agreement: 'overenskommen', patientResponse }
      : { ...rest, patientRequestedChange: true, patientResponse };
  return {
    content: { ...content, nextContact },
    kind: answer.response === 'confirmed' ? 'contract-changed' : 'patient-request',
    summary:
      answer.response === 'confirmed'
        ? 'Bekräftade nästa kontakt'
        : `Vill ha en annan tid för nästa kontakt${message ? `: ”${shorten(message, 60)}”` : ''}`,
  };
}

/** Writes (or, with an empty text, withdraws) what matters to the patient, in their own words. */
export function proposeWhatMatters(
  content: ContractContent,
  text: string,
  now: string,
): PatientChange | null {
  const trimmed = text.trim();
  const current = content.whatMattersPatientWords ?? null;
  if (trimmed === '') {
    if (current === null) return null;
    const { whatMattersPatientWords: _words, ...rest } = content;
    return {
      content: rest,
      kind: 'patient-request',
      summary: 'Tog tillbaka sina egna ord om vad som är viktigt',
    };
  }
  if (current?.text === trimmed) return null;
  return {
    content: { ...content, whatMattersPatientWords: { text: trimmed, writtenAt: now } },
    kind: 'patient-request',
    summary: `Skrev vad som är viktigt: ”${shorten(trimmed, 60)}”`,
  };
}

export interface GoalProposal {
  text: string;
  ambition: AmbitionLevel;
  targetDate?: string | undefined;
}

/** Adds a goal the patient proposes; staff see it as the patient's until they adopt it. */
export function proposeGoal(content: ContractContent, proposal: GoalProposal, goalId: string): PatientChange {
  const text = proposal.text.trim();
  if (text === '')
    throw new DomainError('invalid_input', 'Skriv vad målet är.', [{ path: '/goal/text', message: 'Tomt.' }]);
  if (content.goals.length >= 50)
    throw new DomainError('invalid_input', 'Planen har redan så många mål som går.', [
      { path: '/goal', message: 'Högst 50 mål.' },
    ]);
  const goal: Goal = {
    id: goalId,
    text,
    ambition: proposal.ambition,
    ...(proposal.targetDate ? { targetDate: proposal.targetDate } : {}),
    status: 'pagaende',
    proposedByPatient: true,
  };
  return {
    content: { ...content, goals: [...content.goals, goal] },
    kind: 'patient-request',
    summary: `Föreslog ett mål: ”${shorten(text, 60)}”`,
  };
}

/** Withdraws a goal the patient proposed, as long as staff have not adopted it. */
export function withdrawGoal(content: ContractContent, goalId: string): PatientChange {
  const goal = content.goals.find((g) => g.id === goalId && g.proposedByPatient === true);
  if (!goal) throw new DomainError('not_found', 'Det finns inget sådant förslag till mål.');
  return {
    content: { ...content, goals: content.goals.filter((g) => g.id !== goalId) },
    kind: 'patient-request',
    summary: `Tog tillbaka sitt förslag till mål: ”${shorten(goal.text, 60)}”`,
  };
}

export interface PatientQuestionSet {
  id: string;
  version: number;
  audience: string;
  questionIds: readonly string[];
}

/**
 * Records the patient's answers to a question set meant for patients as their
 * self-assessment. It replaces the previous one in the plan; earlier ones stay in the history.
 */
export function recordSelfAssessment(
  content: ContractContent,
  set: PatientQuestionSet,
  items: readonly { questionId: string; answer: (typeof answerValues)[number] }[],
  now: string,
): PatientChange {
  if (set.audience !== 'patient')
    throw new DomainError('invalid_input', 'Frågorna är inte till för patienter.', [
      { path: '/questionSetId', message: 'Inte patientens frågor.' },
    ]);
  const details: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!set.questionIds.includes(item.questionId))
      details.push({ path: `/items/${i}/questionId`, message: 'Frågan finns inte i formuläret.' });
    else if (seen.has(item.questionId))
      details.push({ path: `/items/${i}/questionId`, message: 'Frågan besvaras två gånger.' });
    seen.add(item.questionId);
  });
  if (items.length === 0) details.push({ path: '/items', message: 'Inga svar.' });
  if (details.length > 0) throw new DomainError('invalid_input', 'Svaren innehåller fel.', details);
  const selfAssessment: QuestionAnswers = {
    questionSetId: set.id,
    questionSetVersion: set.version,
    answeredAt: now,
    items: items.map((i) => ({ questionId: i.questionId, answer: i.answer })),
  };
  return {
    content: { ...content, selfAssessment },
    kind: 'contract-changed',
    summary: 'Besvarade frågorna om sin vård (självskattning)',
  };
}

/**
 * A staff save (or a new contract) as it may be stored: the patient's parts of the current
 * version are kept. Staff cannot write or change the patient's words, proposals or answers in
 * the patient's name; they may adopt them (edit into their own text, clear the proposal) or
 * remove them. Parts an older client leaves out are carried over, not dropped.
 *
 * - `selfAssessment` and `nextContact.patientResponse` are the patient's alone: always kept.
 *   A new time for the next contact answers the patient's response, so it clears both it and
 *   `patientRequestedChange`; staff may clear the request flag, not raise it.
 * - `whatMattersPatientWords`: left out = kept, `null` = cleared, otherwise it must be unchanged.
 * - A goal marked `proposedByPatient` must be the patient's proposal, unchanged.
 */
export function keepPatientParts(
  current: ContractContent | null,
  incoming: ContractContent,
): ContractContent {
  const base = current ?? emptyContractContent();
  const details: { path: string; message: string }[] = [];
  const next: ContractContent = { ...incoming };

  setOptional(next, 'selfAssessment', base.selfAssessment);

  const words = incoming.whatMattersPatientWords;
  if (words === undefined) setOptional(next, 'whatMattersPatientWords', base.whatMattersPatientWords);
  else if (words !== null && !isDeepEqual(words, base.whatMattersPatientWords))
    details.push({
      path: '/whatMattersPatientWords',
      message: 'Patientens egna ord kan bara behållas eller tas bort, inte ändras.',
    });

  incoming.goals.forEach((goal, i) => {
    if (goal.proposedByPatient !== true) return;
    const original = base.goals.find((g) => g.id === goal.id);
    if (!original || original.proposedByPatient !== true || !isDeepEqual(original, goal))
      details.push({
        path: `/goals/${i}`,
        message:
          'Ett mål som patienten föreslagit kan antas (utan markeringen) eller tas bort, men inte ändras i patientens namn.',
      });
  });
  if (details.length > 0)
    throw new DomainError('invalid_input', 'Patientens egna uppgifter kan inte ändras av personal.', details);

  if (incoming.nextContact) {
    const before = base.nextContact;
    const { patientResponse: _response, patientRequestedChange: requested, ...rest } = incoming.nextContact;
    const isSameTime = before !== null && Date.parse(before.at) === Date.parse(incoming.nextContact.at);
    next.nextContact = {
      ...rest,
      ...(isSameTime && requested === true && before.patientRequestedChange === true
        ? { patientRequestedChange: true }
        : {}),
      ...(isSameTime && before.patientResponse ? { patientResponse: before.patientResponse } : {}),
    };
  }
  return next;
}

/** Sets an optional part, leaving the key out when there is nothing (so old contracts stay as they were). */
function setOptional<K extends 'selfAssessment' | 'whatMattersPatientWords'>(
  content: ContractContent,
  key: K,
  value: ContractContent[K],
): void {
  if (value === undefined) delete content[key];
  else content[key] = value;
}
