/**
 * The planned contacts and interventions as a nurse edits them: in date order (the order of the
 * patient page's timeline), each a one-line summary with "Ändra", and only the one being changed
 * open, so that seven activities are seven Tab stops rather than a wall of fields.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { activityStatuses } from '../../../../src/domain/contract.ts';
import type { PlannedActivity, Unit } from '../../api/types.ts';
import { formatDate, formatDateTime, newItemId, todayIso } from '../../components/format.ts';
import { SelectField, TextField } from '../../components/form.tsx';

/** Ids in date order, oldest first; equal dates keep their order (as the patient page's timeline). */
export function inDateOrder(activities: readonly PlannedActivity[]): string[] {
  return [...activities].sort((a, b) => a.when.localeCompare(b.when)).map((a) => a.id);
}

/**
 * A unit to choose, grouped by care provider (`<optgroup>`), the chooser's own provider first,
 * so that "Hemsjukvården" is found under its municipality instead of in a list of 28.
 */
export function UnitSelect({
  label,
  value,
  onChange,
  units,
  ownUnitId,
  id,
}: {
  label: string;
  value: string;
  onChange: (unitId: string) => void;
  units: readonly Unit[];
  ownUnitId: string;
  id?: string;
}) {
  const { t } = useTranslation();
  const autoId = useId();
  const selectId = id ?? autoId;
  const ownProvider = units.find((u) => u.id === ownUnitId)?.providerId;
  const providers = new Map<string, { name: string; kind: Unit['providerKind']; units: Unit[] }>();
  for (const unit of units) {
    const group = providers.get(unit.providerId);
    if (group) group.units.push(unit);
    else providers.set(unit.providerId, { name: unit.providerName, kind: unit.providerKind, units: [unit] });
  }
  const groups = [...providers.entries()].sort(([aId, a], [bId, b]) =>
    aId === ownProvider ? -1 : bId === ownProvider ? 1 : a.name.localeCompare(b.name, 'sv'),
  );
  const isKnown = units.some((u) => u.id === value);
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select id={selectId} value={value} onChange={(e) => onChange(e.target.value)}>
        {!isKnown && <option value={value}>{t('plan.unknownUnit')}</option>}
        {groups.map(([providerId, group]) => (
          <optgroup key={providerId} label={`${group.name} (${t(`providerKind.${group.kind}`)})`}>
            {group.units.map((u) => (
              <option key={u.id} value={u.id}>
                {`${u.name} (${t(`providerKind.${u.providerKind}`)})`}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

type Focus = { id: string; on: 'what' | 'edit' } | { id: null; on: 'add' };

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
  errors?: Record<string, string | undefined>;
}) {
  const { t, i18n } = useTranslation();
  const baseId = useId();
  const [openId, setOpenId] = useState<string | null>(null);
  // The order is fixed while an item is open, so that changing its date does not move it under
  // the nurse's cursor; it is sorted again when the item closes.
  const [order, setOrder] = useState<string[]>(() => inDateOrder(activities));
  // Where focus goes after the next render: opening an item lands in its first field, closing it
  // on its "Ändra", removing it on "Lägg till".
  const focus = useRef<Focus | null>(null);
  const setFocus = (next: Focus) => {
    focus.current = next;
  };

  const byId = new Map(activities.map((a) => [a.id, a]));
  const shown = [
    ...order.filter((id) => byId.has(id)),
    ...inDateOrder(activities.filter((a) => !order.includes(a.id))),
  ].map((id) => byId.get(id)!);

  const idOf = (id: string, part: string) => `${baseId}-${id}-${part}`;
  useEffect(() => {
    const next = focus.current;
    if (!next) return;
    focus.current = null;
    document.getElementById(next.id === null ? `${baseId}-add` : `${baseId}-${next.id}-${next.on}`)?.focus();
  });

  function open(id: string | null, focusOn: Focus) {
    setOrder(inDateOrder(activities));
    setOpenId(id);
    setFocus(focusOn);
  }

  function add() {
    const item: PlannedActivity = {
      id: newItemId('akt'),
      what: '',
      unitId: defaultUnitId,
      when: todayIso(),
      status: 'planerad',
    };
    onChange([...activities, item]);
    setOrder([...inDateOrder(activities), item.id]);
    setOpenId(item.id);
    setFocus({ id: item.id, on: 'what' });
  }

  function remove(id: string) {
    onChange(activities.filter((a) => a.id !== id));
    setOrder(order.filter((x) => x !== id));
    setOpenId(null);
    setFocus({ id: null, on: 'add' });
  }

  const whenText = (when: string) =>
    when.length === 10 ? formatDate(when, i18n.language) : formatDateTime(when, i18n.language);

  return (
    <div>
      {shown.length === 0 && <p className="muted">{t('plan.empty')}</p>}
      <ol className="activity-list">
        {shown.map((a, i) => {
          const label = t('plan.activityN', { n: i + 1 });
          const set = (patch: Partial<PlannedActivity>) =>
            onChange(activities.map((x) => (x.id === a.id ? { ...a, ...patch } : x)));
          const isOpen = a.id === openId || errors[a.id] !== undefined;
          const unit = units.find((u) => u.id === a.unitId);
          if (!isOpen) {
            return (
              <li key={a.id} className="activity-summary">
                <span className="activity-when">{whenText(a.when)}</span>
                <span className="activity-what">{a.what || t('plan.noWhat')}</span>
                <span className="muted">{unit ? unit.name : t('plan.unknownUnit')}</span>
                <span className="tag">{t(`activityStatus.${a.status}`)}</span>
                <button
                  type="button"
                  id={idOf(a.id, 'edit')}
                  className="button button-quiet"
                  aria-expanded="false"
                  onClick={() => open(a.id, { id: a.id, on: 'what' })}
                >
                  {t('plan.change')}
                  <span className="visually-hidden">
                    {' '}
                    {label}: {a.what}
                  </span>
                </button>
              </li>
            );
          }
          return (
            <li key={a.id}>
              <fieldset className="item-editor">
                <legend>{label}</legend>
                <TextField
                  id={idOf(a.id, 'what')}
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
                  <UnitSelect
                    label={t('plan.unit')}
                    value={a.unitId}
                    onChange={(unitId) => set({ unitId })}
                    units={units}
                    ownUnitId={defaultUnitId}
                  />
                  <SelectField
                    label={t('plan.status')}
                    value={a.status}
                    onChange={(status) => set({ status })}
                    options={activityStatuses.map((s) => ({ value: s, label: t(`activityStatus.${s}`) }))}
                  />
                </div>
                <div className="item-actions">
                  <button
                    type="button"
                    className="button button-secondary"
                    aria-expanded="true"
                    onClick={() => open(null, { id: a.id, on: 'edit' })}
                  >
                    {t('plan.done')}
                    <span className="visually-hidden"> {label}</span>
                  </button>
                  <button type="button" className="button button-quiet" onClick={() => remove(a.id)}>
                    {t('common.remove')}
                    <span className="visually-hidden"> {label}</span>
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <button type="button" id={`${baseId}-add`} className="button button-secondary" onClick={add}>
        {t('plan.addActivity')}
      </button>
    </div>
  );
}
