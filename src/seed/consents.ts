/**
 * The patients' consents in the demo region (Lag 2022:913): a plan is held by one care provider,
 * and the units of other providers that take part in it (a municipality's hemsjukvård, a
 * private vårdcentral, the region's clinics for a privately listed patient) read it only with
 * the patient's consent. In the demo most patients gave it when the plan was drawn up, to the
 * units the plan names, recorded in person by whoever drew it up; some did not. The demo
 * patients have none: Elsa Lindqvist's plan shows how consent is given (README, Demo).
 */
import type { ContractVersionRow, ContractRow } from './write.ts';
import type { GenContext, Person } from './patients.ts';
import { Rng } from './random.ts';

/** A consent row, in the shape of the table. */
export interface ConsentRow {
  id: string;
  patient_id: string;
  scope_kind: 'unit';
  unit_id: string;
  valid_from: string;
  method: 'i-person';
  recorded_by_kind: 'staff';
  recorded_by: string;
  recorded_by_unit_id: string;
  recorded_at: string;
}

/** The share of patients who consented to the other providers in their plan. */
export const CONSENT_SHARE = 0.85;

/**
 * The consents of one patient: for their current plan (not ended), one per unit of another care
 * provider than the plan's holder (the unit that drew it up) that the plan or the patient's
 * active fixed contacts name, or where the patient is listed. The draw has its own stream, so
 * the rest of the region does not change with it.
 */
export function consentRows(
  ctx: GenContext,
  p: Person,
  contracts: readonly ContractRow[],
  versions: readonly ContractVersionRow[],
  seed: number,
  id: (n: number) => string,
): ConsentRow[] {
  const contract = contracts.find((c) => c.status !== 'ended');
  if (!contract) return [];
  const holder = contract.owner_unit_id === null ? p.vc?.unit : ctx.dir.unit(contract.owner_unit_id);
  if (!holder) return [];
  if (!new Rng(seed, 0x636f6e73 ^ (p.index + 1)).chance(CONSENT_SHARE)) return [];
  const content = contract.content;
  const named = [
    ...(p.vc ? [p.vc.unit.id] : []),
    ...content.activities.map((a) => a.unitId),
    ...content.linkedPlans.map((l) => l.unitId),
    ...(content.nextContact ? [content.nextContact.unitId] : []),
    ...p.contacts.filter((c) => c.status === 'active').map((c) => c.unit.id),
  ];
  const others = [...new Set(named)].filter(
    (unitId) => ctx.dir.unit(unitId).providerId !== holder.providerId,
  );
  const first = versions
    .filter((v) => v.contract_id === contract.id)
    .reduce<ContractVersionRow | null>((a, v) => (a === null || v.version < a.version ? v : a), null);
  if (others.length === 0 || first === null || first.actor_kind !== 'staff' || first.actor_unit_id === null)
    return [];
  return others.sort().map((unitId, n) => ({
    id: id(n),
    patient_id: p.id,
    scope_kind: 'unit',
    unit_id: unitId,
    valid_from: first.changed_at,
    method: 'i-person',
    recorded_by_kind: 'staff',
    recorded_by: first.actor_id,
    recorded_by_unit_id: first.actor_unit_id!,
    recorded_at: first.changed_at,
  }));
}
