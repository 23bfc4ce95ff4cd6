/**
 * Readable descriptions of what changed between two versions of a contract: for the history
 * and the conflict view. Each change names the part and shows the text before and after.
 */
import type { TFunction } from 'i18next';
import { diffContent } from '../../../../src/domain/contract.ts';
import type { MobileCare } from '../../api/mobile-care-types.ts';
import type { ContractContent, ContractPart, ContractStatus } from '../../api/types.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';

export interface ReadableChange {
  key: string;
  part: ContractPart;
  kind: 'added' | 'removed' | 'changed';
  before: string;
  after: string;
}

/** Names by id: the units, and the staff a plan names (an id without a name is shown as it is). */
type Names = Record<string, string>;

/** One item or part as a line of text. */
export function describeValue(
  part: ContractPart,
  value: unknown,
  t: TFunction,
  units: Names,
  lng: string,
): string {
  if (value === null || value === undefined || value === '') return t('history.empty');
  // Units and staff share the map: their HSA-ids never collide.
  const unit = (id: string) => units[id] ?? id;
  switch (part) {
    case 'whatMatters':
    case 'ifWorse':
    case 'noNextContactReason':
      return value as string;
    case 'fastVardkontaktDecision':
      return t(`history.fvkDecision.${value as 'not-needed-now' | 'declined'}`);
    case 'reviewDate':
      return formatDate(value as string, lng);
    case 'status':
      return t(`contractStatus.${value as ContractStatus}`);
    case 'nextContact': {
      const n = value as ContractContent['nextContact'] & object;
      return [
        `${formatDateTime(n.at, lng)}, ${t(`contactMode.${n.mode}`).toLowerCase()}, ${unit(n.unitId)}${n.withStaffId ? `, ${unit(n.withStaffId)}` : ''} (${t(`agreement.${n.agreement}`).toLowerCase()})`,
        n.durationMinutes !== undefined ? `${t('history.duration')}: ${n.durationMinutes}` : null,
        n.note ? `${t('history.note')}: ${n.note}` : null,
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'whatMattersPatientWords':
      return (value as ContractContent['whatMattersPatientWords'] & object).text;
    case 'answers':
    case 'selfAssessment': {
      const a = value as ContractContent['answers'] & object;
      return a.items.map((i) => i.answer ?? i.text ?? '–').join(' · ');
    }
    case 'goals': {
      const g = value as ContractContent['goals'][number];
      return `${g.text} (${t(`ambition.${g.ambition}`).toLowerCase()}, ${t(`goalStatus.${g.status}`).toLowerCase()}${g.targetDate ? `, ${formatDate(g.targetDate, lng)}` : ''})`;
    }
    case 'patientResponsibilities': {
      const r = value as ContractContent['patientResponsibilities'][number];
      return r.isDone ? `${r.text} (${t('agreement.done')})` : r.text;
    }
    case 'activities': {
      const a = value as ContractContent['activities'][number];
      return `${formatDateTime(a.when, lng)}: ${a.what}, ${unit(a.unitId)}${a.responsibleStaffId ? `, ${unit(a.responsibleStaffId)}` : ''} (${t(`activityStatus.${a.status}`).toLowerCase()})${a.note ? ` · ${t('history.note')}: ${a.note}` : ''}`;
    }
    case 'linkedPlans': {
      const p = value as ContractContent['linkedPlans'][number];
      return `${p.title ?? t(`linkedPlanType.${p.type}`)}, ${unit(p.unitId)}, ${formatDate(p.date, lng)}, ${p.reference}`;
    }
  }
}

function valueAt(content: ContractContent, part: ContractPart, itemId?: string): unknown {
  if (part === 'status') return undefined;
  const value = content[part];
  if (itemId !== undefined && Array.isArray(value))
    return (value as { id: string }[]).find((i) => i.id === itemId);
  return value;
}

/** What changed from `before` to `after`, readable. */
export function describeChanges(
  before: { content: ContractContent; status?: ContractStatus } | null,
  after: { content: ContractContent; status?: ContractStatus },
  t: TFunction,
  units: Names,
  lng: string,
): ReadableChange[] {
  const changes = diffContent(before?.content ?? null, after.content, before?.status, after.status);
  return changes.map((c) => {
    const key = c.itemId ? `${c.part}/${c.itemId}` : c.part;
    if (c.part === 'status') {
      return {
        key,
        part: c.part,
        kind: c.kind,
        before: before?.status ? describeValue('status', before.status, t, units, lng) : t('history.empty'),
        after: describeValue('status', after.status, t, units, lng),
      };
    }
    const was = before ? valueAt(before.content, c.part, c.itemId) : undefined;
    const is = valueAt(after.content, c.part, c.itemId);
    let beforeText = before ? describeValue(c.part, was, t, units, lng) : t('history.empty');
    let afterText = describeValue(c.part, is, t, units, lng);
    // A change the readable line does not show (a field it leaves out) is shown field by field,
    // so that the history never says "changed" over two identical lines.
    if (c.kind === 'changed' && beforeText === afterText) {
      beforeText = allFields(was);
      afterText = allFields(is);
    }
    return { key, part: c.part, kind: c.kind, before: beforeText, after: afterText };
  });
}

/** Every field of a value, as "name: value", for a change the readable line leaves out. */
function allFields(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? '';
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** One step of the patient's mobile care in the history: what happened, who did it and when. */
export interface MobileCareEntry {
  key: string;
  at: string;
  who: string;
  what: string;
  detail?: string;
}

/**
 * The writes of mobile care (enrolment steps, directives, assessments, escalations), each a record
 * of its own with who and when, as history entries, newest first.
 */
export function describeMobileCare(care: MobileCare, t: TFunction): MobileCareEntry[] {
  const entries: MobileCareEntry[] = [
    ...care.enrolments.flatMap((e) =>
      e.history.map((step, i) => ({
        key: `enrolment/${e.id}/${i}`,
        at: step.at,
        who: step.actorName,
        what: t(`mobileTeam.history.enrolment.${step.action}`, { team: e.teamName }),
        ...(step.action === 'proposed'
          ? { detail: t(`mobileTeam.targetGroup.${e.targetGroup}`) }
          : step.detail
            ? { detail: step.detail }
            : {}),
      })),
    ),
    ...care.directives.flatMap((d) => [
      {
        key: `directive/${d.id}`,
        at: d.recordedAt,
        who: d.recordedBy.name,
        what: t('mobileTeam.history.directive', { kind: t(`mobileTeam.directive.kind.${d.kind}`) }),
        detail: d.text,
      },
      ...(d.endedAt
        ? [
            {
              key: `directive/${d.id}/ended`,
              at: d.endedAt,
              who: '',
              what: t('mobileTeam.history.directiveEnded', {
                kind: t(`mobileTeam.directive.kind.${d.kind}`),
              }),
            },
          ]
        : []),
    ]),
    ...care.assessments.map((a) => ({
      key: `assessment/${a.id}`,
      at: a.at,
      who: a.by.name,
      what:
        a.score === null
          ? t('mobileTeam.history.assessment')
          : t('mobileTeam.history.assessmentScored', { score: a.score }),
      detail: t(`mobileTeam.assessment.outcomes.${a.outcome}`),
    })),
    ...care.escalations.flatMap((e) => [
      {
        key: `escalation/${e.id}`,
        at: e.sentAt,
        who: e.from.name,
        what: t('mobileTeam.history.escalationSent'),
      },
      ...(e.acknowledged
        ? [
            {
              key: `escalation/${e.id}/acknowledged`,
              at: e.acknowledged.at,
              who: e.acknowledged.name,
              what: t('mobileTeam.history.escalationAcknowledged'),
            },
          ]
        : []),
      ...(e.decided && e.decision
        ? [
            {
              key: `escalation/${e.id}/decided`,
              at: e.decided.at,
              who: e.decided.name,
              what: t('mobileTeam.history.escalationDecided', {
                kind: t(`mobileTeam.escalation.kind.${e.decision.kind}`),
              }),
              detail: e.decision.text,
            },
          ]
        : []),
    ]),
  ];
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
