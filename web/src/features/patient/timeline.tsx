import { useTranslation } from 'react-i18next';
import type { PlannedActivity, StaffRef, UnitRef } from '../../api/types.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { localeOf } from '../../i18n/index.ts';

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
  const { t, i18n } = useTranslation();
  const sorted = [...activities].sort((a, b) => a.when.localeCompare(b.when));
  const monthOf = (when: string) =>
    new Intl.DateTimeFormat(localeOf(i18n.language), { month: 'long', year: 'numeric' }).format(
      new Date(when.length === 10 ? `${when}T12:00:00` : when),
    );
  const groups: { month: string; items: PlannedActivity[] }[] = [];
  for (const activity of sorted) {
    const month = monthOf(activity.when);
    const last = groups[groups.length - 1];
    if (last?.month === month) last.items.push(activity);
    else groups.push({ month, items: [activity] });
  }
  return (
    <section aria-labelledby="plan-heading" className="panel">
      <h2 id="plan-heading">
        {t('plan.title')} <span className="count">({activities.length})</span>
      </h2>
      <p className="hint">{t('plan.lead')}</p>
      {activities.length === 0 && <p className="muted">{t('plan.empty')}</p>}
      {groups.map((group) => (
        <div key={group.month} className="timeline-month">
          <h3>{group.month}</h3>
          <ol className="timeline">
            {group.items.map((a) => {
              const unit = units[a.unitId];
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
                    {unit ? unit.name : t('plan.unknownUnit')}
                    {unit && (
                      <span className={`tag tag-${unit.providerKind}`}>
                        {t(`providerKind.${unit.providerKind}`)}
                      </span>
                    )}
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
      ))}
    </section>
  );
}
