/**
 * Administration: the systemförvaltare's page for the region's registries (api/admin-routes.ts),
 * so that everyday registry work needs no shell: journal systems, SMART clients and product roles,
 * one tab each (the WAI-ARIA tabs pattern: arrow keys move between tabs, the address keeps the
 * tab). Anyone else who opens the address reads "Du saknar behörighet"; the server refuses them
 * too (403).
 */
import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Page } from '../../components/page.tsx';
import { useIsSystemAdmin } from './admin-access.tsx';
import { EhrSystemsSection } from './ehr-systems-section.tsx';
import { ProductRolesSection } from './product-roles-section.tsx';
import { SmartClientsSection } from './smart-clients-section.tsx';
import './admin.css';

const tabs = ['journalsystem', 'smart-klienter', 'produktroller'] as const;
type Tab = (typeof tabs)[number];
const tabKeys = { journalsystem: 'ehr', 'smart-klienter': 'clients', produktroller: 'roles' } as const;

export default function AdminPage() {
  const { t } = useTranslation();
  const isAdmin = useIsSystemAdmin();
  const [params, setParams] = useSearchParams();
  const buttons = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  if (!isAdmin) return <NoAccess />;
  const asked = params.get('flik');
  const current: Tab = tabs.find((tab) => tab === asked) ?? 'journalsystem';
  const choose = (tab: Tab, focus = false) => {
    setParams({ flik: tab }, { replace: true });
    if (focus) buttons.current[tab]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.indexOf(current);
    const next =
      event.key === 'ArrowRight'
        ? tabs[(at + 1) % tabs.length]
        : event.key === 'ArrowLeft'
          ? tabs[(at + tabs.length - 1) % tabs.length]
          : event.key === 'Home'
            ? tabs[0]
            : event.key === 'End'
              ? tabs[tabs.length - 1]
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    choose(next, true);
  };
  return (
    <Page title={t('admin.title')} lead={<p className="lead">{t('admin.lead')}</p>}>
      <div role="tablist" aria-label={t('admin.tabs')} className="admin-tabs" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab}
            ref={(el) => {
              buttons.current[tab] = el;
            }}
            type="button"
            role="tab"
            id={`admin-tab-${tab}`}
            aria-selected={tab === current}
            aria-controls={`admin-panel-${tab}`}
            tabIndex={tab === current ? 0 : -1}
            className="admin-tab"
            onClick={() => choose(tab)}
          >
            {t(`admin.tab.${tabKeys[tab]}`)}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`admin-panel-${current}`}
        aria-labelledby={`admin-tab-${current}`}
        className="admin-panel"
      >
        {current === 'journalsystem' && <EhrSystemsSection />}
        {current === 'smart-klienter' && <SmartClientsSection />}
        {current === 'produktroller' && <ProductRolesSection />}
      </div>
    </Page>
  );
}

/** The page anyone but a systemförvaltare reaches by the address. */
function NoAccess() {
  const { t } = useTranslation();
  return (
    <Page title={t('admin.noAccessTitle')}>
      <p>{t('admin.noAccess')}</p>
      <p className="muted">{t('admin.noAccessHelp')}</p>
    </Page>
  );
}
