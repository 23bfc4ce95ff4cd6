/**
 * Editors for the contract's list parts: goals, the patient's own responsibilities, planned
 * activities and linked plans. Each takes the list and returns a new one; the item's number
 * names its fieldset ("Mål 2") so that screen-reader users know where they are.
 */
import { useTranslation } from 'react-i18next';
import {
  activityStatuses,
  ambitionLevels,
  goalStatuses,
  linkedPlanTypes,
} from '../../../../src/domain/contract.ts';
import type { Goal, LinkedPlan, PlannedActivity, Responsibility, Unit } from '../../api/types.ts';
import { newItemId, todayIso } from '../../components/format.ts';
import { SelectField, TextArea, TextField } from '../../components/form.tsx';

type ItemErrors = Record<string, string | undefined>;

function replaceAt<T>(list: T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="button button-quiet" onClick={onClick}>
      {t('common.remove')}
      <span className="visually-hidden"> {label}</span>
    </button>
  );
}

export function GoalsEditor({
  goals,
  onChange,
  errors = {},
}: {
  goals: Goal[];
  onChange: (goals: Goal[]) => void;
  errors?: ItemErrors;
}) {
  const { t } = useTranslation();
  return (
    <div>
      {goals.map((goal, i) => {
        const label = t('goals.goalN', { n: i + 1 });
        const set = (patch: Partial<Goal>) => onChange(replaceAt(goals, i, { ...goal, ...patch }));
        return (
          <fieldset key={goal.id} className="item-editor">
            <legend>{label}</legend>
            <TextField
              label={t('goals.text')}
              value={goal.text}
              onChange={(text) => set({ text })}
              error={errors[goal.id]}
            />
            <div className="inline-fields">
              <SelectField
                label={t('goals.ambition')}
                value={goal.ambition}
                onChange={(ambition) => set({ ambition })}
                options={ambitionLevels.map((a) => ({ value: a, label: t(`ambition.${a}`) }))}
              />
              <SelectField
                label={t('goals.status')}
                value={goal.status}
                onChange={(status) => set({ status })}
                options={goalStatuses.map((s) => ({ value: s, label: t(`goalStatus.${s}`) }))}
              />
              <TextField
                label={t('goals.targetDate')}
                type="date"
                value={goal.targetDate ?? ''}
                onChange={(d) => set({ targetDate: d || undefined })}
              />
            </div>
            <RemoveButton label={label} onClick={() => onChange(goals.filter((_, j) => j !== i))} />
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button button-secondary"
        onClick={() =>
          onChange([...goals, { id: newItemId('mal'), text: '', ambition: 'forbattra', status: 'pagaende' }])
        }
      >
        {t('goals.add')}
      </button>
    </div>
  );
}

export function ResponsibilitiesEditor({
  items,
  onChange,
  errors = {},
}: {
  items: Responsibility[];
  onChange: (items: Responsibility[]) => void;
  errors?: ItemErrors;
}) {
  const { t } = useTranslation();
  return (
    <div>
      {items.map((item, i) => {
        const label = t('responsibilities.itemN', { n: i + 1 });
        return (
          <div key={item.id} className="item-editor">
            <TextField
              label={label}
              value={item.text}
              onChange={(text) => onChange(replaceAt(items, i, { ...item, text }))}
              error={errors[item.id]}
            />
            <RemoveButton label={label} onClick={() => onChange(items.filter((_, j) => j !== i))} />
          </div>
        );
      })}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => onChange([...items, { id: newItemId('ansvar'), text: '' }])}
      >
        {t('responsibilities.add')}
      </button>
    </div>
  );
}

export function unitOptions(
  units: Unit[],
  t: (key: 'providerKind.region' | 'providerKind.kommun' | 'providerKind.privat') => string,
) {
  return units.map((u) => ({ value: u.id, label: `${u.name} (${t(`providerKind.${u.providerKind}`)})` }));
}

export function ActivitiesEditor({
  activities,
  onChange,
  units,
  defaultUnitId,
  errors = {},
}: {
  activities: PlannedActivity[];
  onChange: (activities: PlannedActivity[]) => void;
  units: Unit[];
  defaultUnitId: string;
  errors?: ItemErrors;
}) {
  const { t } = useTranslation();
  const options = unitOptions(units, t);
  return (
    <div>
      {activities.map((a, i) => {
        const label = t('plan.activityN', { n: i + 1 });
        const set = (patch: Partial<PlannedActivity>) =>
          onChange(replaceAt(activities, i, { ...a, ...patch }));
        return (
          <fieldset key={a.id} className="item-editor">
            <legend>{label}</legend>
            <TextField
              label={t('plan.what')}
              value={a.what}
              onChange={(what) => set({ what })}
              error={errors[a.id]}
            />
            <div className="inline-fields">
              <TextField
                label={t('plan.when')}
                type="date"
                value={a.when.slice(0, 10)}
                onChange={(when) => set({ when })}
              />
              <SelectField
                label={t('plan.unit')}
                value={a.unitId}
                onChange={(unitId) => set({ unitId })}
                options={options}
              />
              <SelectField
                label={t('plan.status')}
                value={a.status}
                onChange={(status) => set({ status })}
                options={activityStatuses.map((s) => ({ value: s, label: t(`activityStatus.${s}`) }))}
              />
            </div>
            <RemoveButton label={label} onClick={() => onChange(activities.filter((_, j) => j !== i))} />
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button button-secondary"
        onClick={() =>
          onChange([
            ...activities,
            { id: newItemId('akt'), what: '', unitId: defaultUnitId, when: todayIso(), status: 'planerad' },
          ])
        }
      >
        {t('plan.addActivity')}
      </button>
    </div>
  );
}

export function LinkedPlansEditor({
  plans,
  onChange,
  units,
  defaultUnitId,
}: {
  plans: LinkedPlan[];
  onChange: (plans: LinkedPlan[]) => void;
  units: Unit[];
  defaultUnitId: string;
}) {
  const { t } = useTranslation();
  const options = unitOptions(units, t);
  return (
    <div>
      {plans.map((p, i) => {
        const label = t('linkedPlans.planN', { n: i + 1 });
        const set = (patch: Partial<LinkedPlan>) => onChange(replaceAt(plans, i, { ...p, ...patch }));
        return (
          <fieldset key={p.id} className="item-editor">
            <legend>{label}</legend>
            <div className="inline-fields">
              <SelectField
                label={t('linkedPlans.type')}
                value={p.type}
                onChange={(type) => set({ type })}
                options={linkedPlanTypes.map((x) => ({ value: x, label: t(`linkedPlanType.${x}`) }))}
              />
              <TextField
                label={t('linkedPlans.planTitle')}
                value={p.title ?? ''}
                onChange={(title) => set({ title: title || undefined })}
              />
            </div>
            <div className="inline-fields">
              <SelectField
                label={t('linkedPlans.unit')}
                value={p.unitId}
                onChange={(unitId) => set({ unitId })}
                options={options}
              />
              <TextField
                label={t('linkedPlans.date')}
                type="date"
                value={p.date}
                onChange={(date) => set({ date })}
              />
            </div>
            <TextArea
              label={t('linkedPlans.reference')}
              rows={2}
              value={p.reference}
              onChange={(reference) => set({ reference })}
            />
            <RemoveButton label={label} onClick={() => onChange(plans.filter((_, j) => j !== i))} />
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button button-secondary"
        onClick={() =>
          onChange([
            ...plans,
            { id: newItemId('plan'), type: 'sip', unitId: defaultUnitId, date: todayIso(), reference: '' },
          ])
        }
      >
        {t('linkedPlans.add')}
      </button>
    </div>
  );
}
