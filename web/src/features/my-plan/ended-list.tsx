import type { ReactNode } from 'react';

/**
 * What the patient once gave or set and that has ended (a withdrawn consent, a removed spärr),
 * folded away under `summary`: each with its name and a muted line of when it held.
 */
export function EndedList<T extends { id: string }>({
  summary,
  items,
  name,
  detail,
}: {
  summary: string;
  items: readonly T[];
  name: (item: T) => string;
  detail: (item: T) => ReactNode;
}) {
  if (items.length === 0) return null;
  return (
    <details className="earlier">
      <summary>{summary}</summary>
      <ul className="plain-list">
        {items.map((item) => (
          <li key={item.id}>
            <strong>{name(item)}</strong>
            <br />
            <span className="muted">{detail(item)}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
