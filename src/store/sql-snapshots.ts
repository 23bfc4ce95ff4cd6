/**
 * The hot statements, as a reviewer reads them: each one's final text is written to
 * `sql-snapshots/<name>.sql` (named parameters as written, and the numbers they are sent as).
 * `sql-snapshots.test.ts` renders them again from the stores' code and fails when a file differs,
 * so the files are always the statements the server sends; `npm run sql:snapshots` rewrites them
 * after a deliberate change (commit the files with it).
 */
import { accessFactsStatement } from './access-facts-store.ts';
import { appendIfHeadStatement } from './access-log-store.ts';
import { contractWriteStatement } from './contract-store.ts';
import type { NamedStatement } from './named-sql.ts';
import { overviewJsonStatement, overviewStatement } from './overview-store.ts';
import { prefetchStatements } from './prefetch-store.ts';
import { actorStatement } from './session-store.ts';

export interface HotStatement {
  /** The file's name without `.sql`. */
  name: string;
  /** Where it is sent from and what it does, for the file's header. */
  about: string;
  statement: NamedStatement<string>;
}

export const hotStatements: readonly HotStatement[] = [
  {
    name: 'prefetch-overview',
    about:
      'GET /api/patients/:patientId/overview: the session, the access facts and the overview as JSON text, one round trip (store/prefetch-store.ts)',
    statement: prefetchStatements.overview,
  },
  {
    name: 'prefetch-contract',
    about:
      'PUT /api/patients/:patientId/contract: the session, the access facts and the current contract with the fast vårdkontakt, one round trip (store/prefetch-store.ts)',
    statement: prefetchStatements.contract,
  },
  {
    name: 'prefetch-access',
    about:
      "a route with config: { prefetch: 'access' }: the session and the access facts, one round trip (store/prefetch-store.ts)",
    statement: prefetchStatements.access,
  },
  {
    name: 'contract-write',
    about:
      "PUT …/contract and FHIR's CarePlan and Appointment: a contract's next version only if it is still at the version read, with its history row, change event and notification, in one statement (store/contract-store.ts#writeVersion, store/event-store.ts#changeEventStatement)",
    statement: contractWriteStatement,
  },
  {
    name: 'session-actor',
    about:
      'every other request with a session cookie: the session, the person and their role (store/session-store.ts)',
    statement: actorStatement,
  },
  {
    name: 'access-facts',
    about:
      'every access decision the session statement did not prefetch: the facts about one patient (store/access-facts-store.ts#gather)',
    statement: accessFactsStatement,
  },
  {
    name: 'access-log-append',
    about:
      'a batch of access-log entries appended after the head this writer last wrote, in one statement (store/access-log-store.ts)',
    statement: appendIfHeadStatement,
  },
  {
    name: 'overview',
    about:
      'the overview for a reader from whom a spärr hides something, redacted in Node (store/overview-store.ts#read)',
    statement: overviewStatement,
  },
  {
    name: 'overview-json',
    about:
      'the overview as JSON text when the session statement did not read it (store/overview-store.ts#readJson)',
    statement: overviewJsonStatement,
  },
];

/** The file a statement is kept in. */
export function snapshotOf(hot: HotStatement): string {
  const { statement } = hot;
  const parameters = statement.names.map((name, i) => `$${i + 1} :${name}`).join(', ');
  const body = statement.source
    .trim()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
  return `-- ${hot.name}: ${hot.about}.
-- Generated from the store's code: src/store/sql-snapshots.test.ts checks it, \`npm run sql:snapshots\` rewrites it.
-- Parameters, as sent: ${parameters}.
${body};
`;
}
