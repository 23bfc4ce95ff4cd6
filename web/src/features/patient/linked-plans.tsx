import { useTranslation } from 'react-i18next';
import type { LinkedPlan, UnitRef } from '../../api/types.ts';
import { formatDate } from '../../components/format.ts';

/** The plans under the contract's umbrella: SIP, Min vårdplan, rehabiliteringsplan … */
export function LinkedPlans({ plans, units }: { plans: LinkedPlan[]; units: Record<string, UnitRef> }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="linked-plans" className="panel">
      <h2 id="linked-plans">{t('linkedPlans.title')}</h2>
      {plans.length === 0 ? (
        <p className="muted">{t('linkedPlans.empty')}</p>
      ) : (
        <ul className="plain-list">
          {plans.map((p) => (
            <li key={p.id}>
              <strong>{p.title || t(`linkedPlanType.${p.type}`)}</strong>
              {p.title && ` (${t(`linkedPlanType.${p.type}`)})`}
              <br />
              <span className="muted">
                {units[p.unitId]?.name ?? p.unitId} · {formatDate(p.date, i18n.language)} · {p.reference}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
