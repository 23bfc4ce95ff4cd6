/**
 * Three-way merge of contract content, for the conflict view: when someone else saved first
 * (412), my changes since the version I started from are laid over theirs. Changes to
 * different parts, or to different items of a list, never conflict; where both changed the
 * same thing differently, `choices` says whose change wins (mine by default). Pure.
 */
import { isDeepEqual } from '../../../../src/domain/contract.ts';
import type { ContractContent, ContractPart } from '../../api/types.ts';

export interface Conflict {
  /** `part` or `part/itemId`. */
  key: string;
  part: ContractPart;
  itemId?: string;
  mine: unknown;
  theirs: unknown;
}

export type Choice = 'mine' | 'theirs';

const scalarParts = ['whatMatters', 'nextContact', 'answers', 'ifWorse', 'reviewDate'] as const;

function mergeValue<T>(key: string, base: T, mine: T, theirs: T, choices: Record<string, Choice>) {
  const mineChanged = !isDeepEqual(base, mine);
  const theirsChanged = !isDeepEqual(base, theirs);
  if (!mineChanged) return { value: theirs, isConflict: false };
  if (!theirsChanged || isDeepEqual(mine, theirs)) return { value: mine, isConflict: false };
  return { value: choices[key] === 'theirs' ? theirs : mine, isConflict: true };
}

function mergeList<T extends { id: string }>(
  part: ContractPart,
  base: T[],
  mine: T[],
  theirs: T[],
  choices: Record<string, Choice>,
  conflicts: Conflict[],
): T[] {
  const byId = (list: T[]) => new Map(list.map((item) => [item.id, item]));
  const [b, m, th] = [byId(base), byId(mine), byId(theirs)];
  const order = [...theirs.map((i) => i.id), ...mine.map((i) => i.id).filter((id) => !th.has(id))];
  const ids = [...new Set([...order, ...base.map((i) => i.id)])];
  const merged = new Map<string, T>();
  for (const id of ids) {
    const key = `${part}/${id}`;
    const result = mergeValue(key, b.get(id), m.get(id), th.get(id), choices);
    if (result.isConflict) conflicts.push({ key, part, itemId: id, mine: m.get(id), theirs: th.get(id) });
    if (result.value !== undefined) merged.set(id, result.value);
  }
  return order.filter((id) => merged.has(id)).map((id) => merged.get(id)!);
}

/** Merges `mine` and `theirs`, both derived from `base`; lists the conflicts it resolved by `choices`. */
export function mergeContent(
  base: ContractContent,
  mine: ContractContent,
  theirs: ContractContent,
  choices: Record<string, Choice> = {},
): { merged: ContractContent; conflicts: Conflict[] } {
  const conflicts: Conflict[] = [];
  const merged: ContractContent = { ...theirs };
  for (const part of scalarParts) {
    const result = mergeValue(part, base[part], mine[part], theirs[part], choices);
    if (result.isConflict) conflicts.push({ key: part, part, mine: mine[part], theirs: theirs[part] });
    (merged as unknown as Record<string, unknown>)[part] = result.value;
  }
  merged.goals = mergeList('goals', base.goals, mine.goals, theirs.goals, choices, conflicts);
  merged.patientResponsibilities = mergeList(
    'patientResponsibilities',
    base.patientResponsibilities,
    mine.patientResponsibilities,
    theirs.patientResponsibilities,
    choices,
    conflicts,
  );
  merged.activities = mergeList(
    'activities',
    base.activities,
    mine.activities,
    theirs.activities,
    choices,
    conflicts,
  );
  merged.linkedPlans = mergeList(
    'linkedPlans',
    base.linkedPlans,
    mine.linkedPlans,
    theirs.linkedPlans,
    choices,
    conflicts,
  );

  return { merged, conflicts };
}
