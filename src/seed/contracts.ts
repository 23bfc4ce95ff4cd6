/**
 * Demo Patientkontrakt with their version history. A contract is drawn as items that enter in
 * some version (a goal, an activity, a linked plan); version k shows the items added up to k
 * with the statuses they had on that day, and its nextContact is the meeting where version k+1
 * was agreed. The last version's next contact lies in the coming weeks, or a little in the past
 * (overdue). Changes between versions come from the domain's own diff, as the store writes them.
 */
import {
  diffContent,
  type ContractContent,
  type ContractStatus,
  type Goal,
  type LinkedPlan,
  type NextContact,
  type PlannedActivity,
} from '../domain/contract.ts';
import { isoOf, swedishInstant, workdayBefore, workdayFrom } from './calendar.ts';
import type { StaffMember, Unit } from './directory.ts';
import { fullName, hasCondition, hasDiabetes, majorCount, type GenContext, type Person } from './patients.ts';
import * as phrases from './phrases.ts';
import type { Rng } from './random.ts';
import { withSelfAssessment } from './self-assessment.ts';
import type { ContractRow, ContractVersionRow } from './write.ts';

type Author = { staff: StaffMember; unit: Unit };

interface Item<T> {
  addedIn: number;
  value: T;
}

interface ActivityItem {
  addedIn: number;
  day: number;
  /** One draw per activity, so that its outcome stays the same from version to version. */
  fate: number;
  minute: number;
  value: Omit<PlannedActivity, 'when' | 'status'>;
}

/** Where a place is for this patient. */
function placeUnit(ctx: GenContext, p: Person, place: phrases.Place): Unit {
  if (place === 'vc') return p.vc?.unit ?? ctx.dir.clinics.medicin;
  if (place === 'hemsjukvard') return p.municipality.hemsjukvard;
  if (place === 'hemtjanst') return p.municipality.hemtjanst;
  if (place === 'sabo') return p.care === 'sabo' && p.careUnit ? p.careUnit : p.municipality.hemsjukvard;
  return ctx.dir.clinics[place];
}

function authorsOf(ctx: GenContext, rng: Rng, p: Person): Author[] {
  const active = p.contacts.filter((c) => c.status === 'active' && c.staff !== null);
  const fvk = active.find((c) => c.role === 'fast-vardkontakt');
  const others = active.filter((c) => c !== fvk && c.role !== 'fast-omsorgskontakt');
  const fallback = p.vc ? { staff: rng.pick(p.vc.nurses), unit: p.vc.unit } : null;
  const list = [fvk ?? others[0] ?? fallback, ...others].filter((a) => a !== null && a !== undefined);
  const authors = list.map((c) => ({ staff: c.staff as StaffMember, unit: c.unit }));
  if (authors.length > 0) return authors;
  const unit = ctx.dir.clinics.medicin;
  return [{ staff: ctx.dir.staffAt(unit.id)[0] as StaffMember, unit }];
}

function activityStatus(a: ActivityItem, versionDay: number): PlannedActivity['status'] {
  if (a.day < versionDay) return a.fate < 0.9 ? 'genomford' : 'installd';
  return a.day <= versionDay + 30 && a.fate < 0.6 ? 'bokad' : 'planerad';
}

export interface Draft {
  status: ContractStatus;
  versions: number;
  /** Day of the last version. */
  lastDay: number;
  /** The next contact of the last version, or null. */
  nextDay: number | null;
  /** True: the question battery was answered (demo patients); otherwise drawn. */
  hasAnswers?: boolean;
}

/** Builds one contract (all its versions) for a patient. */
export function buildContract(ctx: GenContext, rng: Rng, p: Person, id: string, draft: Draft) {
  const n = draft.versions;
  const days: number[] = [draft.lastDay];
  for (let k = n - 2; k >= 0; k--) days.unshift(workdayBefore((days[0] ?? draft.lastDay) - rng.int(14, 120)));
  const dayOf = (k: number): number => days[k] ?? draft.lastDay;
  const addedIn = (): number => (n === 1 || rng.chance(0.6) ? 0 : rng.int(1, n - 1));
  const authors = authorsOf(ctx, rng, p);
  const versionAuthors = days.map(
    (_, k) => (k === 0 || rng.chance(0.6) ? authors[0] : rng.pick(authors)) as Author,
  );
  const conditions = [...new Set(p.diagnoses.map((d) => d.condition))];

  const conditionGoals = rng.sample(
    conditions.flatMap((c) => phrases.goals[c]),
    rng.int(1, 2),
  );
  const goalTexts = [
    ...conditionGoals,
    ...(conditionGoals.length === 0 || rng.chance(0.4) ? [rng.pick(phrases.generalGoals)] : []),
  ];
  const goals: Item<Goal>[] = goalTexts.map(([text, ambition], i) => {
    const added = i === 0 ? 0 : addedIn();
    const targetDate = rng.chance(0.5) ? isoOf(dayOf(added) + rng.int(90, 365)) : undefined;
    return { addedIn: added, value: { id: `g${i + 1}`, text, ambition, targetDate, status: 'pagaende' } };
  });
  const responsibilityPool = [
    ...conditions.flatMap((c) => phrases.responsibilities[c]),
    ...phrases.generalResponsibilities,
  ];
  const responsibilities = rng
    .sample(responsibilityPool, rng.int(1, Math.min(4, responsibilityPool.length)))
    .map((text, i) => ({ addedIn: i === 0 ? 0 : addedIn(), value: { id: `r${i + 1}`, text } }));

  const municipal = p.care === 'sabo' || p.care === 'hemsjukvard';
  const templates = [
    ...phrases.baseActivities,
    ...(p.age >= 65 ? phrases.elderlyActivities : []),
    ...conditions.flatMap((c) => phrases.activities[c]),
    ...(municipal ? phrases.municipalActivities : []),
    ...(p.care === 'sabo' ? phrases.saboActivities : []),
  ];
  const count = Math.min(12, Math.max(2, 1 + majorCount(p) * 2 + (municipal ? 2 : 0) + rng.int(0, 2)));
  const chosen = rng.sample(templates, count);
  const repeating = templates.filter((t) => t.repeats);
  while (chosen.length < count && repeating.length > 0) chosen.push(rng.pick(repeating));
  const activities: ActivityItem[] = chosen.map((t, i) => {
    const added = addedIn();
    const unit = placeUnit(ctx, p, t.place);
    const responsible = t.profession
      ? ctx.dir.staffAt(unit.id).filter((s) => s.profession === t.profession)
      : [];
    return {
      addedIn: added,
      day: workdayBefore(dayOf(added) + rng.int(-30, 300)),
      fate: rng.next(),
      minute: rng.int(32, 63) * 15,
      value: {
        id: `a${i + 1}`,
        what: t.what,
        unitId: unit.id,
        responsibleStaffId: responsible.length > 0 && rng.chance(0.6) ? rng.pick(responsible).id : undefined,
      },
    };
  });

  const planTypes: (readonly [LinkedPlan['type'], string, Unit])[] = [
    ...(municipal ? [['sip', 'Samordnad individuell plan', p.municipality.hemsjukvard] as const] : []),
    ...(hasCondition(p, 'kol') ? [['vardplan-kol', 'Vårdplan KOL', placeUnit(ctx, p, 'vc')] as const] : []),
    ...(hasDiabetes(p) ? [['vardplan-diabetes', 'Vårdplan diabetes', placeUnit(ctx, p, 'vc')] as const] : []),
    ...(hasCondition(p, 'hjartsvikt')
      ? [['vardplan-hjartsvikt', 'Vårdplan hjärtsvikt', ctx.dir.clinics.kardiologi] as const]
      : []),
    ...(hasCondition(p, 'cancer')
      ? [['min-vardplan-cancer', 'Min vårdplan cancer', ctx.dir.clinics.onkologi] as const]
      : []),
    ...(p.care === 'sabo' && p.careUnit
      ? [['genomforandeplan', 'Genomförandeplan', p.careUnit] as const]
      : []),
  ];
  const plans: Item<LinkedPlan>[] = planTypes
    .filter(() => rng.chance(0.6))
    .map(([type, title, unit], i) => {
      const added = addedIn();
      const date = dayOf(added) - rng.int(0, 60);
      const ref = `${type === 'sip' ? 'SIP' : 'VP'}-${isoOf(date).slice(0, 4)}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
      return {
        addedIn: added,
        value: { id: `p${i + 1}`, type, title, unitId: unit.id, date: isoOf(date), reference: ref },
      };
    });

  const fvk = p.contacts.find((c) => c.role === 'fast-vardkontakt' && c.status === 'active');
  const hasDeclinedFvk = p.contacts.some((c) => c.role === 'fast-vardkontakt' && c.status === 'declined');
  const hasLakare = p.contacts.some((c) => c.role === 'fast-lakarkontakt' && c.status === 'active');
  const whatMatters = rng.sample(phrases.whatMatters, rng.int(1, 2)).join(' ');
  const worse = phrases.ifWorsePriority.find((c) => hasCondition(p, c));
  const ifWorse = (worse && phrases.ifWorse[worse]) ?? phrases.ifWorse.default;
  const hasAnswers = rng.chance(0.85) || draft.hasAnswers === true;
  const isUnsureOfLakare = rng.chance(0.2);
  const reviewAfter = days.map(() => rng.int(90, 365));
  const nextMeta = days.map(() => ({
    hour: rng.int(8, 15),
    minute: rng.pick([0, 15, 30, 45]),
    fate: rng.next(),
  }));
  const endings = goals.map(() => rng.pick(['uppnatt', 'delvis-uppnatt', 'ej-uppnatt', 'avslutat'] as const));
  const isEnded = draft.status === 'ended';

  const contentAt = (k: number): ContractContent => {
    const day = dayOf(k);
    const isLast = k === n - 1;
    const meta = nextMeta[k] ?? { hour: 9, minute: 0, fate: 0 };
    const nextDay = isLast ? draft.nextDay : dayOf(k + 1);
    const nextWith = isLast
      ? fvk?.staff
        ? { staff: fvk.staff, unit: fvk.unit }
        : versionAuthors[k]
      : versionAuthors[k + 1];
    const nextContact: NextContact | null =
      nextDay === null || !nextWith || (isLast && isEnded)
        ? null
        : {
            at: swedishInstant(nextDay, meta.hour, meta.minute),
            unitId: nextWith.unit.id,
            withStaffId: nextWith.staff.id,
            mode:
              nextWith.unit.providerKind === 'kommun'
                ? 'hembesok'
                : meta.fate < 0.55
                  ? 'besok'
                  : meta.fate < 0.9
                    ? 'telefon'
                    : 'video',
            agreement:
              draft.status === 'draft'
                ? meta.fate < 0.6
                  ? 'erbjuden'
                  : 'overenskommen'
                : meta.fate < 0.85
                  ? 'overenskommen'
                  : 'erbjuden',
            patientRequestedChange:
              isLast && draft.status === 'active' && meta.fate > 0.97 ? true : undefined,
          };
    const items = <T>(list: Item<T>[]): T[] => list.filter((i) => i.addedIn <= k).map((i) => i.value);
    return {
      whatMatters,
      goals: goals
        .filter((g) => g.addedIn <= k)
        .map((g, i) => (isLast && isEnded ? { ...g.value, status: endings[i] ?? 'avslutat' } : g.value)),
      patientResponsibilities: items(responsibilities),
      activities: activities
        .filter((a) => a.addedIn <= k)
        .map((a) => {
          // Ending a contract cancels what it still had planned.
          const status = isLast && isEnded && a.day >= day ? 'installd' : activityStatus(a, day);
          const when =
            status === 'bokad' || (status === 'genomford' && a.fate < 0.3)
              ? swedishInstant(a.day, Math.floor(a.minute / 60), a.minute % 60)
              : isoOf(a.day);
          return { ...a.value, when, status };
        }),
      nextContact,
      linkedPlans: items(plans),
      answers: hasAnswers
        ? {
            questionSetId: 'fragebatteri-000',
            questionSetVersion: 1,
            answeredAt: swedishInstant(dayOf(0), 10, 0),
            items: [
              { questionId: 'q1', text: whatMatters },
              { questionId: 'q2', text: goals[0]?.value.text },
              { questionId: 'q3', text: responsibilities.map((r) => r.value.text).join(' ') },
              { questionId: 'q4', answer: fvk ? 'ja' : 'nej' },
              { questionId: 'q5', answer: hasLakare ? 'ja' : isUnsureOfLakare ? 'vet-inte' : 'nej' },
              { questionId: 'q6', answer: nextContact ? 'ja' : 'vet-inte' },
              { questionId: 'q7', answer: plans.some((pl) => pl.addedIn === 0) ? 'ja' : 'nej' },
              { questionId: 'q8', answer: fvk || majorCount(p) >= 2 ? 'ja' : 'nej' },
            ],
          }
        : null,
      ifWorse,
      reviewDate: isoOf(day + (reviewAfter[k] ?? 180)),
      // What an active contract must hold (domain/contract.ts activationProblems): without an
      // appointed or declined fast vårdkontakt, the nurse recorded that one is not needed now.
      ...(fvk || hasDeclinedFvk ? {} : { fastVardkontaktDecision: 'not-needed-now' as const }),
      ...(nextContact === null && statusAt(k) === 'active'
        ? { noNextContactReason: 'Patienten hör av sig när hen vill boka nästa kontakt.' }
        : {}),
    };
  };

  const statusAt = (k: number): ContractStatus => {
    if (draft.status === 'draft') return 'draft';
    if (k === n - 1) return draft.status;
    return k === 0 && n >= 2 && nextMeta[0] && nextMeta[0].fate < 0.3 ? 'draft' : 'active';
  };
  const instant = (k: number): string =>
    swedishInstant(dayOf(k), 8 + ((p.index + k) % 8), (k * 17 + p.index) % 60);
  const versions: ContractVersionRow[] = [];
  let previous: ContractContent | null = null;
  for (let k = 0; k < n; k++) {
    const content = contentAt(k);
    const author = versionAuthors[k] as Author;
    versions.push({
      contract_id: id,
      version: k + 1,
      status: statusAt(k),
      content,
      changed_at: instant(k),
      actor_kind: 'staff',
      actor_id: author.staff.id,
      actor_name: fullName(author.staff),
      actor_unit_id: author.unit.id,
      changes:
        previous === null
          ? diffContent(null, content, undefined, statusAt(k))
          : diffContent(previous, content, statusAt(k - 1), statusAt(k)),
    });
    previous = content;
  }
  const last = versions[n - 1] as ContractVersionRow;
  const first = versions[0] as ContractVersionRow;
  const row: ContractRow = {
    id,
    patient_id: p.id,
    status: draft.status,
    version: n,
    content: last.content,
    review_date: last.content.reviewDate,
    next_contact_at: last.content.nextContact?.at ?? null,
    created_by: first.actor_id,
    created_at: first.changed_at,
    // Held by the unit that drew it up (security.md: the plan's holder), as the app records it.
    owner_unit_id: first.actor_unit_id,
    updated_by: last.actor_id,
    updated_at: last.changed_at,
    ended_at: isEnded ? last.changed_at : null,
  };
  return { row, versions, firstDay: dayOf(0) };
}

/**
 * The patient's contracts: about a third of the chronically ill get one, most often those with a
 * fast vårdkontakt (Region Gävleborg, handlingsplan Patientkontrakt 2021: chronic illness and complex needs first). Mostly active, some
 * drafts, a few ended, and some of the ended replaced by a new current one.
 */
export function drawContracts(ctx: GenContext, rng: Rng, p: Person, contractId: (n: number) => string) {
  const out: { contracts: ContractRow[]; versions: ContractVersionRow[]; firstDay: number | null } = {
    contracts: [],
    versions: [],
    firstDay: null,
  };
  if (p.diagnoses.length === 0) return out;
  const hasFvk = p.contacts.some((c) => c.role === 'fast-vardkontakt' && c.status === 'active');
  const pContract = majorCount(p) === 0 ? 0.05 : hasFvk ? 0.55 : 0.2;
  if (!rng.chance(pContract)) return out;
  const { today } = ctx;
  const kind = rng.weighted([
    ['active', 80],
    ['draft', 12],
    ['ended', 4],
    ['replaced', 4],
  ] as const);
  const add = (built: ReturnType<typeof buildContract>): void => {
    out.contracts.push(built.row);
    out.versions.push(...built.versions);
    out.firstDay = Math.min(out.firstDay ?? built.firstDay, built.firstDay);
  };
  let endedBy = workdayBefore(today - rng.int(30, 400));
  if (kind === 'active' || kind === 'replaced') {
    const overdue = rng.chance(0.12);
    const nextDay = overdue ? workdayBefore(today - rng.int(1, 30)) : workdayFrom(today + rng.int(1, 42));
    // Most were updated lately; some long ago, so that their review date has passed.
    const lastDay = workdayBefore(
      Math.min(today, nextDay - 1) - (rng.chance(0.25) ? rng.int(46, 420) : rng.int(0, 45)),
    );
    const versions = rng.weighted([
      [1, 55],
      [2, 30],
      [3, 15],
    ] as const);
    const current = withSelfAssessment(
      buildContract(ctx, rng, p, contractId(0), { status: 'active', versions, lastDay, nextDay }),
      p,
      today,
      lastDay,
    );
    add(current);
    endedBy = workdayBefore(current.firstDay - 1);
  } else if (kind === 'draft') {
    const lastDay = workdayBefore(today - rng.int(0, 20));
    const nextDay = rng.chance(0.5) ? null : workdayBefore(today + rng.int(3, 30));
    add(
      buildContract(ctx, rng, p, contractId(0), {
        status: 'draft',
        versions: rng.chance(0.8) ? 1 : 2,
        lastDay,
        nextDay,
      }),
    );
  }
  if (kind === 'ended' || kind === 'replaced') {
    const versions = rng.chance(0.7) ? 2 : 3;
    add(
      buildContract(ctx, rng, p, contractId(1), {
        status: 'ended',
        versions,
        lastDay: endedBy,
        nextDay: null,
      }),
    );
  }
  return out;
}
