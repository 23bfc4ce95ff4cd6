import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlannedActivity, StaffRef, UnitRef } from '../../api/types.ts';
import { formatDate, formatDateTime, swedishWallClock } from '../../components/format.ts';
import { localeOf } from '../../i18n/index.ts';

/**
 * Planned activities grouped by month, in the order given: one list for staff and patients
 * alike. `unitLabel` writes where an activity takes place (its unit, or undefined when the
 * unit is not in the directory).
 */
export function ActivitiesByMonth({
  activities,
  units,
  staff,
  unitLabel,
}: {
  activities: PlannedActivity[];
  units: Record<string, UnitRef>;
  staff: Record<string, StaffRef>;
  unitLabel: (unit: UnitRef | undefined) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const monthOf = (when: string) => {
    const date = swedishWallClock(when);
    if (!date) return when;
    return new Intl.DateTimeFormat(localeOf(i18n.language), {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(date);
  };
  const groups: { month: string; items: PlannedActivity[] }[] = [];
  for (const activity of activities) {
    const month = monthOf(activity.when);
    const last = groups[groups.length - 1];
    if (last?.month === month) last.items.push(activity);
    else groups.push({ month, items: [activity] });
  }
  return groups.map((group) => (
    <div key={group.month} className="timeline-month">
      <h3>{group.month}</h3>
      <ol className="timeline">
        {group.items.map((a) => {
          const person = a.responsibleStaffId ? staff[a.responsibleStaffId] : undefined;
          return (
            <li key={a.id} className={`timeline-item status-${a.status}`}>
              <p className="timeline-when">
                {a.when.length === 10
                  ? formatDate(a.when, i18n.language)
                  : formatDateTime(a.when, i18n.language)}
              </p>
              <p className="timeline-what">{a.what}</p>
              <p className="muted">
                {unitLabel(units[a.unitId])}
                {person && ` · ${person.name}`}
              </p>
              <p>
                <span className="tag">{t(`activityStatus.${a.status}`)}</span>
                {a.note && <span> {a.note}</span>}
              </p>
            </li>
          );
        })}
      </ol>
    </div>
  ));
}

/** The coordinated plan as one timeline across caregivers, grouped by month. */
export function Timeline({
  activities,
  units,
  staff,
}: {
  activities: PlannedActivity[];
  units: Record<string, UnitRef>;
  staff: Record<string, StaffRef>;
}) {
  const { t } = useTranslation();
  const sorted = [...activities].sort((a, b) => a.when.localeCompare(b.when));
  return (
    <section aria-labelledby="plan-heading" className="panel">
      <h2 id="plan-heading">
        {t('plan.title')} <span className="count">({activities.length})</span>
      </h2>
      <p className="hint">{t('plan.lead')}</p>
      {activities.length === 0 && <p className="muted">{t('plan.empty')}</p>}
      <ActivitiesByMonth
        activities={sorted}
        units={units}
        staff={staff}
        unitLabel={(unit) =>
          unit ? (
            <>
              {unit.name}
              <span className={`tag tag-${unit.providerKind}`}>{t(`providerKind.${unit.providerKind}`)}</span>
            </>
          ) : (
            t('plan.unknownUnit')
          )
        }
      />
    </section>
  );
}
