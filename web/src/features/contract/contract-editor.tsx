import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, api, etagOf } from '../../api/client.ts';
import { useUnits } from '../../api/directory.ts';
import type { Contract, ContractContent, ContractStatus, ContractVersion } from '../../api/types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import type { ArrivalState } from '../../components/arrival-notice.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { TextArea, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatTime } from '../../components/format.ts';
import { useMe } from '../auth/session.tsx';
import { ConflictView } from './conflict-view.tsx';
import { mergeContent, type Choice } from './merge.ts';
import { NextContactEditor } from './next-contact-editor.tsx';
import { ActivitiesEditor, GoalsEditor, LinkedPlansEditor, ResponsibilitiesEditor } from './part-editors.tsx';
import { validateContent, withoutEmptyItems, type ContentErrors } from './validate.ts';

export interface TheirVersion {
  contract: Contract;
  byName: string;
  at: string;
}

const formId = 'contract-form';
const saveButtonId = 'contract-save';

/**
 * The form over every part, in sections with a jump list, and a save bar that stays at the
 * bottom of the window and says whether everything is saved. A 412 opens the conflict view
 * instead of overwriting; ending the contract asks first, in our own dialog.
 */
export function ContractEditor({
  patientId,
  name,
  initial,
}: {
  patientId: string;
  name: string;
  initial: Contract;
}) {
  const { t, i18n } = useTranslation();
  const { me } = useMe();
  const units = useUnits();
  const announce = useAnnounce();
  const [base, setBase] = useState<Contract>(initial);
  const [draft, setDraft] = useState<ContractContent>(initial.content);
  const [errors, setErrors] = useState<ContentErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<{ version: number; time: string; text?: string | undefined } | null>(
    null,
  );
  const [isEnding, setIsEnding] = useState(false);
  const stateRef = useRef<HTMLParagraphElement>(null);
  const navigate = useNavigate();
  const [theirs, setTheirs] = useState<TheirVersion | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const set = (patch: Partial<ContractContent>) => setDraft({ ...draft, ...patch });

  async function loadTheirs(): Promise<TheirVersion> {
    const current = (await api.get<Contract>(`/api/patients/${patientId}/contract`)).body;
    const versions = (
      await api.get<{ versions: ContractVersion[] }>(
        `/api/patients/${patientId}/contracts/${current.id}/versions?limit=1`,
      )
    ).body.versions;
    const last = versions.find((v) => v.version === current.version) ?? versions[versions.length - 1];
    return { contract: current, byName: last?.actor.name ?? '', at: last?.changedAt ?? current.updatedAt };
  }

  // After a save the confirmation in the save bar takes focus (never <body>); after a refused
  // one, the first field that needs fixing does.
  const focusAfter = useRef<'state' | 'invalid' | null>(null);
  useEffect(() => {
    const on = focusAfter.current;
    if (!on) return;
    focusAfter.current = null;
    if (on === 'state') stateRef.current?.focus();
    else {
      // Centred, not just scrolled into view: the save bar with its error sits over the bottom.
      const field = document.querySelector<HTMLElement>(`#${formId} [aria-invalid="true"]`);
      field?.focus({ preventScroll: true });
      field?.scrollIntoView({ block: 'center' });
    }
  });

  /** Saves; true when the server took it. */
  async function save(
    content: ContractContent,
    status: ContractStatus,
    on: Contract,
    successText?: string,
  ): Promise<boolean> {
    const cleaned = withoutEmptyItems(content);
    const found = validateContent(cleaned, t, on.content);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setError(new Error(t('errors.fixBelow')));
      focusAfter.current = 'invalid';
      return false;
    }
    setIsBusy(true);
    setError(null);
    try {
      const result = (
        await api.put<Contract>(
          `/api/patients/${patientId}/contract`,
          { status, content: cleaned },
          etagOf(on.version),
        )
      ).body;
      setBase(result);
      setDraft(result.content);
      setTheirs(null);
      const time = formatTime(new Date(), i18n.language);
      setSaved({ version: result.version, time, text: successText });
      focusAfter.current = 'state';
      announce([successText, t('edit.savedAt', { version: result.version, time })].filter(Boolean).join(' '));
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        setTheirs(await loadTheirs());
        announce(t('conflict.title'));
      } else {
        setError(e);
      }
      return false;
    } finally {
      setIsBusy(false);
    }
  }

  function merge(choices: Record<string, Choice>) {
    if (!theirs) return;
    const { merged } = mergeContent(base.content, draft, theirs.contract.content, choices);
    setBase(theirs.contract);
    setDraft(merged);
    void save(merged, theirs.contract.status, theirs.contract, t('conflict.merged'));
  }

  function discardMine() {
    if (!theirs) return;
    setBase(theirs.contract);
    setDraft(theirs.contract.content);
    setTheirs(null);
  }

  const isDirty = JSON.stringify(draft) !== JSON.stringify(base.content);
  useEffect(() => {
    if (!isDirty) return;
    // A reload or a closed tab would lose the nurse's work without a word.
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);

  const parts = [
    { id: 'del-viktigt', title: t('edit.whatMattersPart') },
    { id: 'del-mal', title: t('edit.goalsPart') },
    { id: 'del-ansvar', title: t('edit.responsibilitiesPart') },
    { id: 'del-nasta-kontakt', title: t('edit.nextContactPart') },
    { id: 'del-kontakter', title: t('edit.activitiesPart') },
    { id: 'del-planer', title: t('linkedPlans.title') },
    { id: 'del-uppfoljning', title: t('edit.followUpPart') },
    { id: 'del-mer', title: t('edit.morePart') },
  ] as const;
  const part = (id: (typeof parts)[number]['id'], children: React.ReactNode) => {
    const title = parts.find((p) => p.id === id)?.title;
    return (
      <section aria-labelledby={id} className="panel">
        <h2 id={id} tabIndex={-1}>
          {title}
        </h2>
        {children}
      </section>
    );
  };
  // In-page links move focus too (not only the scroll), so that the next Tab continues there.
  const jumpTo = (e: React.MouseEvent, id: string) => {
    e.preventDefault();
    const target = document.getElementById(id);
    target?.focus({ preventScroll: true });
    target?.scrollIntoView({ block: 'start' });
  };

  const stateText = isDirty
    ? t('edit.unsaved')
    : saved
      ? [saved.text, t('edit.savedAt', { version: saved.version, time: saved.time })]
          .filter(Boolean)
          .join(' ')
      : t('edit.allSaved');

  return (
    <Page title={t('edit.title', { name })}>
      <p>
        <Link to={`/patient/${patientId}`}>{t('nav.backToPatient')}</Link>
      </p>
      {theirs && <ErrorAlert error={error} />}
      {theirs && (
        <ConflictView
          base={base.content}
          mine={draft}
          theirs={theirs}
          units={units}
          onMerge={merge}
          onDiscard={discardMine}
        />
      )}
      <div hidden={theirs !== null}>
        <p>
          <span className={`tag tag-${base.status}`}>{t(`contractStatus.${base.status}`)}</span>{' '}
          {t('patient.version', { version: base.version })}
        </p>
        <nav aria-label={t('edit.parts')} className="jump-list">
          <ul>
            <li>
              <a href={`#${saveButtonId}`} onClick={(e) => jumpTo(e, saveButtonId)}>
                {t('edit.toSave')}
              </a>
            </li>
            {parts.map((p) => (
              <li key={p.id}>
                <a href={`#${p.id}`} onClick={(e) => jumpTo(e, p.id)}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <form
          id={formId}
          className="form-wide contract-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save(draft, base.status, base);
          }}
        >
          {part(
            'del-viktigt',
            <TextArea
              label={t('edit.whatMatters')}
              seenByPatient={t('common.seenByPatient')}
              rows={3}
              value={draft.whatMatters}
              onChange={(whatMatters) => set({ whatMatters })}
              error={errors.whatMatters}
            />,
          )}
          {part(
            'del-mal',
            <GoalsEditor goals={draft.goals} onChange={(goals) => set({ goals })} errors={errors} />,
          )}
          {part(
            'del-ansvar',
            <>
              <ResponsibilitiesEditor
                items={draft.patientResponsibilities}
                onChange={(patientResponsibilities) => set({ patientResponsibilities })}
                errors={errors}
              />
              <TextArea
                label={t('flow.ifWorse')}
                hint={t('flow.ifWorseHint')}
                seenByPatient={t('common.seenByPatient')}
                value={draft.ifWorse}
                onChange={(ifWorse) => set({ ifWorse })}
              />
            </>,
          )}
          {part(
            'del-nasta-kontakt',
            <NextContactEditor
              value={draft.nextContact}
              onChange={(nextContact) => set({ nextContact })}
              units={units}
              defaultUnitId={me.unitId}
              defaultStaffId={me.staffId}
              error={errors.nextContact}
            />,
          )}
          {part(
            'del-kontakter',
            <ActivitiesEditor
              activities={draft.activities}
              onChange={(activities) => set({ activities })}
              units={units}
              defaultUnitId={me.unitId}
              errors={errors}
            />,
          )}
          {part(
            'del-planer',
            <LinkedPlansEditor
              plans={draft.linkedPlans}
              onChange={(linkedPlans) => set({ linkedPlans })}
              units={units}
              defaultUnitId={me.unitId}
            />,
          )}
          {part(
            'del-uppfoljning',
            <TextField
              label={t('flow.reviewDate')}
              type="date"
              width="short"
              seenByPatient={t('common.seenByPatient')}
              value={draft.reviewDate ?? ''}
              onChange={(d) => set({ reviewDate: d || null })}
            />,
          )}
          <div className="save-bar" role="region" aria-label={t('edit.saveBar')}>
            {!theirs && <ErrorAlert error={error} />}
            <div className="save-bar-row">
              <p
                ref={stateRef}
                tabIndex={-1}
                className={`save-state${isDirty ? ' save-state-dirty' : saved ? ' save-state-saved' : ''}`}
              >
                {stateText}
              </p>
              <button id={saveButtonId} type="submit" className="button button-primary" disabled={isBusy}>
                {t('edit.saveChanges')}
              </button>
              {base.status === 'draft' && (
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={isBusy}
                  onClick={() => void save(draft, 'active', base, t('edit.activated'))}
                >
                  {t('edit.activate')}
                </button>
              )}
            </div>
          </div>
        </form>
        {part(
          'del-mer',
          <>
            <p>{t('edit.endLead')}</p>
            <button
              type="button"
              className="button button-danger"
              disabled={isBusy}
              onClick={() => setIsEnding(true)}
            >
              {t('edit.end')}
            </button>
          </>,
        )}
      </div>
      <ConfirmDialog
        isOpen={isEnding}
        title={t('edit.endTitle', { name })}
        confirmLabel={t('edit.endYes')}
        onCancel={() => setIsEnding(false)}
        onConfirm={() => {
          setIsEnding(false);
          void save(draft, 'ended', base).then((isSaved) => {
            if (isSaved) {
              const state: ArrivalState = { notice: 'ended' };
              void navigate(`/patient/${patientId}`, { state });
            }
          });
        }}
      >
        <p>{t('edit.endText')}</p>
      </ConfirmDialog>
    </Page>
  );
}
