import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContractContent, Unit } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';
import { RadioGroup } from '../../components/form.tsx';
import { ChangeList } from '../history/change-list.tsx';
import { describeChanges, describeValue } from '../history/describe.ts';
import type { TheirVersion } from './contract-editor.tsx';
import { mergeContent, type Choice } from './merge.ts';

/**
 * Someone else saved first: what they changed, what I changed, and — where we both changed the
 * same thing — a choice. Nothing is overwritten until the user merges.
 */
export function ConflictView({
  base,
  mine,
  theirs,
  units,
  onMerge,
  onDiscard,
}: {
  base: ContractContent;
  mine: ContractContent;
  theirs: TheirVersion;
  units: Unit[];
  onMerge: (choices: Record<string, Choice>) => void;
  onDiscard: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const names = Object.fromEntries(units.map((u) => [u.id, u.name]));
  const lng = i18n.language;
  const theirChanges = describeChanges(
    { content: base },
    { content: theirs.contract.content },
    t,
    names,
    lng,
  );
  const myChanges = describeChanges({ content: base }, { content: mine }, t, names, lng);
  const { conflicts } = mergeContent(base, mine, theirs.contract.content);
  const who = theirs.byName;

  return (
    <section className="panel conflict" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" ref={heading} tabIndex={-1}>
        {t('conflict.title')}
      </h2>
      <p>{t('conflict.lead', { name: who, when: formatDateTime(theirs.at, lng) })}</p>
      <div className="grid-2">
        <div>
          <h3>{t('conflict.theirChanges', { name: who })}</h3>
          <ChangeList changes={theirChanges} />
        </div>
        <div>
          <h3>{t('conflict.myChanges')}</h3>
          <ChangeList changes={myChanges} />
        </div>
      </div>
      {conflicts.length === 0 ? (
        <p className="alert alert-success">{t('conflict.noOverlap')}</p>
      ) : (
        <div className="alert alert-warning">
          <p className="alert-title">{t('conflict.both')}</p>
          {conflicts.map((c) => (
            <RadioGroup
              key={c.key}
              legend={t(`part.${c.part}`)}
              value={choices[c.key] ?? 'mine'}
              onChange={(choice) => setChoices({ ...choices, [c.key]: choice })}
              options={[
                {
                  value: 'mine',
                  label: `${t('conflict.keepMine')}: ${describeValue(c.part, c.mine, t, names, lng)}`,
                },
                {
                  value: 'theirs',
                  label: `${t('conflict.keepTheirs', { name: who })}: ${describeValue(c.part, c.theirs, t, names, lng)}`,
                },
              ]}
            />
          ))}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={() => onMerge(choices)}>
          {t('conflict.merge')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDiscard}>
          {t('conflict.discardMine')}
        </button>
      </div>
    </section>
  );
}
