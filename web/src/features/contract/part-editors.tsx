/**
 * Editors for the contract's list parts: goals, the patient's own responsibilities, planned
 * activities and linked plans. Each takes the list and returns a new one; the item's number
 * names its fieldset ("Mål 2") so that screen-reader users know where they are.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ambitionLevels, goalStatuses, linkedPlanTypes } from '../../../../src/domain/contract.ts';
import type { Goal, LinkedPlan, Responsibility, Unit } from '../../api/types.ts';
import { newItemId, todayIso } from '../../components/format.ts';
import { SelectField, TextArea, TextField } from '../../components/form.tsx';
import { UnitSelect } from './activities-editor.tsx';

type ItemErrors = Record<string, string | undefined>;

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="button button-quiet" onClick={onClick}>
      {t('common.remove')}
      <span className="visually-hidden"> {label}</span>
    </button>
  );
}

/**
 * A list part: each item in a fieldset named by its number (or a plain block, without
 * `asFieldset`), with its remove button, and a button that adds `newItem()` last. `renderItem`
 * draws the item's fields; `set` changes the item in the list. Removing is the only way an
 * item leaves the list, and it can be undone ("Ångra") until the list comes back saved.
 */
function ItemList<T extends { id: string }>({
  items,
  onChange,
  labelOf,
  addLabel,
  newItem,
  asFieldset = true,
  renderItem,
}: {
  items: T[];
  onChange: (items: T[]) => void;
  labelOf: (n: number) => string;
  addLabel: string;
  newItem: () => T;
  asFieldset?: boolean;
  renderItem: (item: T, set: (patch: Partial<T>) => void, label: string) => React.ReactNode;
}) {
  const { t } = useTranslation();
  const [removed, setRemoved] = useState<{ item: T; index: number; label: string }[]>([]);
  // The list this editor last handed out: a list from elsewhere (a save, a merge) ends the undo.
  const [emitted, setEmitted] = useState(items);
  if (emitted !== items) {
    setEmitted(items);
    if (removed.length > 0) setRemoved([]);
  }
  const change = (next: T[]) => {
    setEmitted(next);
    onChange(next);
  };
  return (
    <div>
      {removed.map((r) => (
        <p key={r.item.id} className="removed-item" role="status">
          {t('common.removedItem', { label: r.label })}{' '}
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              setRemoved(removed.filter((x) => x !== r));
              change([...items.slice(0, r.index), r.item, ...items.slice(r.index)]);
            }}
          >
            {t('common.undo')}
            <span className="visually-hidden"> {r.label}</span>
          </button>
        </p>
      ))}
      {items.map((item, i) => {
        const label = labelOf(i + 1);
        const set = (patch: Partial<T>) => change(items.map((x, j) => (j === i ? { ...item, ...patch } : x)));
        const remove = (
          <RemoveButton
            label={label}
            onClick={() => {
              setRemoved([...removed, { item, index: i, label }]);
              change(items.filter((_, j) => j !== i));
            }}
          />
        );
        return asFieldset ? (
          <fieldset key={item.id} className="item-editor">
            <legend>{label}</legend>
            {renderItem(item, set, label)}
            {remove}
          </fieldset>
        ) : (
          <div key={item.id} className="item-editor">
            {renderItem(item, set, label)}
            {remove}
          </div>
        );
      })}
      <button type="button" className="button button-secondary" onClick={() => change([...items, newItem()])}>
        {addLabel}
      </button>
    </div>
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
    <ItemList
      items={goals}
      onChange={onChange}
      labelOf={(n) => t('goals.goalN', { n })}
      addLabel={t('goals.add')}
      newItem={(): Goal => ({ id: newItemId('mal'), text: '', ambition: 'forbattra', status: 'pagaende' })}
      renderItem={(goal, set) => (
        <>
          <TextField
            id={`field-${goal.id}`}
            label={t('goals.text')}
            seenByPatient={t('common.seenByPatient')}
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
        </>
      )}
    />
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
    <ItemList
      items={items}
      onChange={onChange}
      labelOf={(n) => t('responsibilities.itemN', { n })}
      addLabel={t('responsibilities.add')}
      newItem={() => ({ id: newItemId('ansvar'), text: '' })}
      asFieldset={false}
      renderItem={(item, set, label) => (
        <TextField
          id={`field-${item.id}`}
          label={label}
          seenByPatient={t('common.seenByPatient')}
          value={item.text}
          onChange={(text) => set({ text })}
          error={errors[item.id]}
        />
      )}
    />
  );
}

// The activities have their own editor (collapsed rows in date order); re-exported so that the
// flow and the editor find every part editor here.
export { ActivitiesEditor } from './activities-editor.tsx';

export function unitOptions(
  units: Unit[],
  t: (key: 'providerKind.region' | 'providerKind.kommun' | 'providerKind.privat') => string,
) {
  return units.map((u) => ({ value: u.id, label: `${u.name} (${t(`providerKind.${u.providerKind}`)})` }));
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
  return (
    <ItemList
      items={plans}
      onChange={onChange}
      labelOf={(n) => t('linkedPlans.planN', { n })}
      addLabel={t('linkedPlans.add')}
      newItem={(): LinkedPlan => ({
        id: newItemId('plan'),
        type: 'sip',
        unitId: defaultUnitId,
        date: todayIso(),
        reference: '',
      })}
      renderItem={(p, set) => (
        <>
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
            <UnitSelect
              label={t('linkedPlans.unit')}
              value={p.unitId}
              onChange={(unitId) => set({ unitId })}
              units={units}
              ownUnitId={defaultUnitId}
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
        </>
      )}
    />
  );
}
