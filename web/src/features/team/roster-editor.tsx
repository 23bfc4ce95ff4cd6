/**
 * The on-call roster, edited by a member of the team: one row per shift (who, from, to, physician
 * on call or backup), rows added and removed, saved whole with "Spara jourschemat". Only the
 * team's members can be chosen; times are the Swedish wall clock. The server checks every row
 * again and answers a wrong one with a Swedish message at its field; nothing is saved then.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import type { RosterEntry, TeamDetail } from '../../api/mobile-care-types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { FocusedNotice } from '../../components/arrival-notice.tsx';
import { Checkbox, SelectField, TextField } from '../../components/form.tsx';
import { fromLocalInput, toLocalInput } from '../../components/format.ts';

interface Row {
  key: number;
  staffId: string;
  starts: string;
  ends: string;
  backup: boolean;
}

type RowErrors = Partial<Record<'staffId' | 'starts' | 'ends', string>>;

let nextKey = 1;
const rowOf = (e?: RosterEntry): Row => ({
  key: nextKey++,
  staffId: e?.staffId ?? '',
  starts: toLocalInput(e?.starts),
  ends: toLocalInput(e?.ends),
  backup: e?.backup ?? false,
});

export function RosterEditor({
  team,
  onSaved,
  onCancel,
}: {
  team: Pick<TeamDetail, 'id' | 'members' | 'roster'>;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<Row[]>(() => team.roster.map(rowOf));
  const [errors, setErrors] = useState<Record<number, RowErrors>>({});
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);
  const [removed, setRemoved] = useState<{ text: string; n: number } | null>(null);
  // A member in several units is one person on the roster.
  const members = [...new Map(team.members.map((m) => [m.staffId, m])).values()];
  const options = members.map((m) => ({ value: m.staffId, label: `${m.name}, ${m.title ?? m.profession}` }));

  const change = (key: number, patch: Partial<Row>) =>
    setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const check = (): Record<number, RowErrors> => {
    const found: Record<number, RowErrors> = {};
    for (const r of rows) {
      const e: RowErrors = {};
      if (r.staffId === '') e.staffId = t('mobileTeam.rosterEditor.whoMissing');
      const starts = fromLocalInput(r.starts);
      const ends = fromLocalInput(r.ends);
      if (!starts) e.starts = t('mobileTeam.rosterEditor.startsMissing');
      if (!ends) e.ends = t('mobileTeam.rosterEditor.endsMissing');
      else if (starts && ends <= starts) e.ends = t('mobileTeam.rosterEditor.endsBeforeStarts');
      if (Object.keys(e).length > 0) found[r.key] = e;
    }
    return found;
  };

  const save = async () => {
    const found = check();
    setErrors(found);
    setError(null);
    if (Object.keys(found).length > 0) {
      setError(new Error(t('mobileTeam.rosterEditor.invalid')));
      return;
    }
    setIsSaving(true);
    try {
      await api.put(`/api/teams/${team.id}/roster`, {
        roster: rows.map((r) => ({
          staffId: r.staffId,
          starts: fromLocalInput(r.starts),
          ends: fromLocalInput(r.ends),
          backup: r.backup,
        })),
      });
      onSaved();
    } catch (e) {
      if (e instanceof ApiError) {
        const fromServer: Record<number, RowErrors> = {};
        for (const d of e.details) {
          const m = /^\/roster\/(\d+)\/(staffId|starts|ends)$/.exec(d.path);
          const row = m && rows[Number(m[1])];
          if (row) fromServer[row.key] = { ...fromServer[row.key], [m[2] as keyof RowErrors]: d.message };
        }
        setErrors(fromServer);
      }
      setError(e);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <form
      className="roster-editor"
      aria-labelledby="roster-edit-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 id="roster-edit-title">{t('mobileTeam.rosterEditor.title')}</h3>
      <p className="muted">{t('mobileTeam.rosterEditor.lead')}</p>
      <ErrorAlert error={error} />
      {removed && <FocusedNotice key={removed.n}>{removed.text}</FocusedNotice>}
      {rows.length === 0 && <p>{t('mobileTeam.team.rosterEmpty')}</p>}
      <ol className="roster-rows">
        {rows.map((r, i) => {
          const e = errors[r.key] ?? {};
          const shift = t('mobileTeam.rosterEditor.shift', { n: i + 1 });
          return (
            <li key={r.key}>
              <fieldset>
                <legend>{shift}</legend>
                <SelectField
                  label={t('mobileTeam.team.rosterWho')}
                  value={r.staffId}
                  options={options}
                  placeholder={t('mobileTeam.rosterEditor.choose')}
                  error={e.staffId}
                  onChange={(staffId) => change(r.key, { staffId })}
                />
                <TextField
                  type="datetime-local"
                  label={t('mobileTeam.team.rosterFrom')}
                  value={r.starts}
                  error={e.starts}
                  onChange={(starts) => change(r.key, { starts })}
                />
                <TextField
                  type="datetime-local"
                  label={t('mobileTeam.team.rosterTo')}
                  value={r.ends}
                  error={e.ends}
                  onChange={(ends) => change(r.key, { ends })}
                />
                <Checkbox
                  label={t('mobileTeam.rosterEditor.isBackup')}
                  checked={r.backup}
                  onChange={(backup) => change(r.key, { backup })}
                />
                <button
                  type="button"
                  className="button button-secondary"
                  aria-label={t('mobileTeam.rosterEditor.removeShift', { shift })}
                  onClick={() => {
                    setRows((all) => all.filter((x) => x.key !== r.key));
                    setRemoved((was) => ({
                      text: t('mobileTeam.rosterEditor.removed', { shift }),
                      n: (was?.n ?? 0) + 1,
                    }));
                  }}
                >
                  {t('mobileTeam.rosterEditor.remove')}
                </button>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <p className="action-bar">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setRows((all) => [...all, rowOf()]);
            setRemoved(null);
          }}
        >
          {t('mobileTeam.rosterEditor.add')}
        </button>
        <button type="submit" className="button" disabled={isSaving}>
          {isSaving ? t('mobileTeam.rosterEditor.saving') : t('mobileTeam.rosterEditor.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('mobileTeam.rosterEditor.cancel')}
        </button>
      </p>
    </form>
  );
}
