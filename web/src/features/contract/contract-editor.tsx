import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api, etagOf } from '../../api/client.ts';
import { useUnits } from '../../api/directory.ts';
import type { Contract, ContractContent, ContractStatus, ContractVersion } from '../../api/types.ts';
import { ErrorAlert, Notice } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { TextArea, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
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

/** The form over every part; a 412 opens the conflict view instead of overwriting. */
export function ContractEditor({
  patientId,
  name,
  initial,
}: {
  patientId: string;
  name: string;
  initial: Contract;
}) {
  const { t } = useTranslation();
  const { me } = useMe();
  const units = useUnits();
  const announce = useAnnounce();
  const [base, setBase] = useState<Contract>(initial);
  const [draft, setDraft] = useState<ContractContent>(initial.content);
  const [errors, setErrors] = useState<ContentErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
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

  async function save(content: ContractContent, status: ContractStatus, on: Contract, successText?: string) {
    const cleaned = withoutEmptyItems(content);
    const found = validateContent(cleaned, t);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setError(new Error(t('errors.fixBelow')));
      return;
    }
    setIsBusy(true);
    setError(null);
    setMessage(null);
    try {
      const saved = (
        await api.put<Contract>(
          `/api/patients/${patientId}/contract`,
          { status, content: cleaned },
          etagOf(on.version),
        )
      ).body;
      setBase(saved);
      setDraft(saved.content);
      setTheirs(null);
      const text = successText ?? t('edit.saved', { version: saved.version });
      setMessage(text);
      announce(text);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        setTheirs(await loadTheirs());
        announce(t('conflict.title'));
      } else {
        setError(e);
      }
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

  const formId = 'contract-form';
  return (
    <Page title={t('edit.title', { name })}>
      <p>
        <Link to={`/patient/${patientId}`}>{t('nav.backToPatient')}</Link>
      </p>
      {message && <Notice kind="success">{message}</Notice>}
      <ErrorAlert error={error} />
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
      <form
        id={formId}
        className="form-wide"
        onSubmit={(e) => {
          e.preventDefault();
          void save(draft, base.status, base);
        }}
        hidden={theirs !== null}
      >
        <p>
          <span className={`tag tag-${base.status}`}>{t(`contractStatus.${base.status}`)}</span>{' '}
          {t('patient.version', { version: base.version })}
        </p>
        <section aria-labelledby="part-agreement" className="panel">
          <h2 id="part-agreement">{t('edit.agreementPart')}</h2>
          <TextArea
            label={t('edit.whatMatters')}
            rows={3}
            value={draft.whatMatters}
            onChange={(whatMatters) => set({ whatMatters })}
          />
          <h3>{t('agreement.goals')}</h3>
          <GoalsEditor goals={draft.goals} onChange={(goals) => set({ goals })} errors={errors} />
          <h3>{t('agreement.responsibilities')}</h3>
          <ResponsibilitiesEditor
            items={draft.patientResponsibilities}
            onChange={(patientResponsibilities) => set({ patientResponsibilities })}
            errors={errors}
          />
          <TextArea
            label={t('flow.ifWorse')}
            hint={t('flow.ifWorseHint')}
            value={draft.ifWorse}
            onChange={(ifWorse) => set({ ifWorse })}
          />
          <TextField
            label={t('flow.reviewDate')}
            type="date"
            width="short"
            value={draft.reviewDate ?? ''}
            onChange={(d) => set({ reviewDate: d || null })}
          />
        </section>
        <section aria-labelledby="part-time" className="panel">
          <h2 id="part-time">{t('edit.timePart')}</h2>
          <NextContactEditor
            value={draft.nextContact}
            onChange={(nextContact) => set({ nextContact })}
            units={units}
            defaultUnitId={me.unitId}
            defaultStaffId={me.staffId}
            error={errors.nextContact}
          />
        </section>
        <section aria-labelledby="part-plan" className="panel">
          <h2 id="part-plan">{t('edit.planPart')}</h2>
          <ActivitiesEditor
            activities={draft.activities}
            onChange={(activities) => set({ activities })}
            units={units}
            defaultUnitId={me.unitId}
            errors={errors}
          />
          <h3>{t('linkedPlans.title')}</h3>
          <LinkedPlansEditor
            plans={draft.linkedPlans}
            onChange={(linkedPlans) => set({ linkedPlans })}
            units={units}
            defaultUnitId={me.unitId}
          />
        </section>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={isBusy}>
            {t('edit.saveChanges')}
          </button>
          {base.status === 'draft' && (
            <button
              type="button"
              className="button button-secondary"
              disabled={isBusy}
              onClick={() => void save(draft, 'active', base)}
            >
              {t('edit.activate')}
            </button>
          )}
          <button
            type="button"
            className="button button-danger"
            disabled={isBusy}
            onClick={() => {
              if (window.confirm(t('edit.endConfirm'))) void save(draft, 'ended', base);
            }}
          >
            {t('edit.end')}
          </button>
        </div>
      </form>
    </Page>
  );
}
