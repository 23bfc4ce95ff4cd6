import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import './my-plan.css';

/** The patient's menu: the plan, taking part, consent and log, närstående, print. */
export function PatientNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('myPlan.nav.label')} className="patient-nav">
      <ul>
        <li>
          <NavLink to="/min-plan" end>
            {t('myPlan.nav.plan')}
          </NavLink>
        </li>
        <li>
          <NavLink to="/min-plan/jag-ar-med">{t('myPlan.nav.takePart')}</NavLink>
        </li>
        <li>
          <NavLink to="/min-plan/samtycke">{t('myPlan.nav.consent')}</NavLink>
        </li>
        <li>
          <NavLink to="/min-plan/narstaende">{t('myPlan.nav.proxies')}</NavLink>
        </li>
        <li>
          <NavLink to="/min-plan/utskrift">{t('myPlan.nav.print')}</NavLink>
        </li>
      </ul>
    </nav>
  );
}
