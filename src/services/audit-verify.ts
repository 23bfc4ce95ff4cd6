/**
 * Verifies the whole access-log chain against the configured key, and against the checkpoints
 * kept outside the database (services/audit-checkpoint.ts), which show an end cut off together
 * with `access_log_head`.
 */
import { ChainVerifier, readCheckpoints, type ChainProblem, type Checkpoint } from '../domain/access-log.ts';
import { swedishDayOf, swedishTimeOfDay } from '../domain/swedish-time.ts';
import type { AccessLogStore } from '../store/access-log-store.ts';

/**
 * What the problems mean together. `intact`: nothing found. `ends-early`: the chain is whole and
 * agrees with every checkpoint it reaches, but checkpoints outside the database name later
 * entries: what a restore from a backup looks like (the entries written after the backup are
 * gone), and also what cutting off the end looks like; only the region's record of a restore
 * tells the two apart. `tampered`: an entry altered, removed or inserted, a checkpoint that does
 * not match, or the head out of step: no restore gives that.
 */
export type Verdict =
  | { kind: 'intact' }
  | {
      kind: 'ends-early';
      lastSeq: number;
      /** The latest checkpoint the chain reaches (and matches); null when none does. */
      lastCheckpoint: Checkpoint | null;
      /** The first checkpoint beyond the end: the backup was taken before it was written. */
      nextCheckpoint: Checkpoint;
      /** The highest checkpoint: how far the log reached. */
      highestCheckpoint: Checkpoint;
    }
  | { kind: 'tampered' };

export interface VerifyResult {
  entries: number;
  /** Every problem found, in the order of the chain (at most 1,000; `problemCount` counts all). */
  problems: ChainProblem[];
  problemCount: number;
  /** Checkpoints compared with the chain (null: no checkpoint file given). */
  checkpoints: number | null;
  verdict: Verdict;
}

export interface VerifyOptions {
  /**
   * The checkpoint file's text and its key, read *before* the head is read, so that every
   * checkpoint names an entry that was committed before the scan began.
   */
  checkpoints?: { text: string; key: string } | undefined;
}

export async function verifyAccessLog(
  log: AccessLogStore,
  key: string,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const verifier = new ChainVerifier(key);
  const read = options.checkpoints
    ? readCheckpoints(options.checkpoints.key, options.checkpoints.text)
    : { checkpoints: [] as Checkpoint[], problems: [] as ChainProblem[] };
  const wanted = new Map<number, string>(read.checkpoints.map((c) => [c.seq, '']));
  // Read the head first: entries appended while we scan lie beyond it and are not judged.
  const head = await log.head();
  let lastSeq = 0;
  scan: for await (const page of log.scan()) {
    for (const entry of page) {
      if (entry.seq > head.seq) break scan;
      verifier.push(entry);
      lastSeq = entry.seq;
      if (wanted.has(entry.seq)) wanted.set(entry.seq, entry.hash);
    }
  }
  const problems = [...verifier.finish(head)];
  let problemCount = verifier.problemCount;
  problems.push(...read.problems);
  problemCount += read.problems.length;
  // One report per kind is enough for the end: the highest checkpoint beyond it.
  const beyond = read.checkpoints.filter((c) => c.seq > lastSeq).sort((a, b) => b.seq - a.seq)[0];
  if (beyond) {
    problems.push({ kind: 'truncated', checkpointSeq: beyond.seq, lastSeq });
    problemCount += 1;
  }
  const mismatched = new Set<number>();
  for (const c of read.checkpoints) {
    if (c.seq > lastSeq || c.seq === 0 || mismatched.has(c.seq)) continue;
    if (wanted.get(c.seq) !== c.hash) {
      mismatched.add(c.seq);
      problems.push({ kind: 'checkpoint-mismatch', seq: c.seq });
      problemCount += 1;
    }
  }
  return {
    entries: verifier.count,
    problems,
    problemCount,
    checkpoints: options.checkpoints ? read.checkpoints.length : null,
    verdict: verdictOf(problemCount, problems, read.checkpoints, lastSeq),
  };
}

function verdictOf(
  problemCount: number,
  problems: readonly ChainProblem[],
  checkpoints: readonly Checkpoint[],
  lastSeq: number,
): Verdict {
  if (problemCount === 0) return { kind: 'intact' };
  if (problemCount !== 1 || problems[0]?.kind !== 'truncated') return { kind: 'tampered' };
  const bySeq = [...checkpoints].sort((a, b) => a.seq - b.seq);
  const beyond = bySeq.filter((c) => c.seq > lastSeq);
  return {
    kind: 'ends-early',
    lastSeq,
    lastCheckpoint: bySeq.filter((c) => c.seq <= lastSeq && c.seq > 0).at(-1) ?? null,
    nextCheckpoint: beyond[0]!,
    highestCheckpoint: beyond.at(-1)!,
  };
}

/** Swedish time of a checkpoint, for people: `2026-12-07 11:02`. */
const swedishTime = (at: string): string => `${swedishDayOf(at)} ${swedishTimeOfDay(at)}`;

/** What the verdict means, in Swedish, for the command's output: one paragraph. */
export function describeVerdict(verdict: Verdict, entries: number): string {
  switch (verdict.kind) {
    case 'intact':
      return `Åtkomstloggen är intakt: ${entries} poster, kedjan obruten.`;
    case 'tampered':
      return 'Åtkomstloggen är MANIPULERAD: kedjan är bruten, en post ändrad eller en kontrollpunkt stämmer inte. En återställning från säkerhetskopia ger aldrig detta (en återställd logg har en obruten kedja). Behandla det som en säkerhetsincident.';
    case 'ends-early': {
      const { lastSeq, lastCheckpoint, nextCheckpoint, highestCheckpoint } = verdict;
      const after =
        lastCheckpoint === null
          ? 'före den första kontrollpunkten'
          : lastCheckpoint.seq === lastSeq
            ? `när kontrollpunkten vid post ${lastSeq} skrevs (${swedishTime(lastCheckpoint.at)}; loggen slutar precis där)`
            : `efter kontrollpunkten vid post ${lastCheckpoint.seq} (${swedishTime(lastCheckpoint.at)})`;
      return (
        `Åtkomstloggen SLUTAR TIDIGARE än kontrollpunkterna utanför databasen: kedjan är obruten och stämmer med varje kontrollpunkt den når, men den slutar på post ${lastSeq} medan kontrollpunkterna når post ${highestCheckpoint.seq} (${swedishTime(highestCheckpoint.at)}); ${highestCheckpoint.seq - lastSeq} poster saknas i slutet. ` +
        `Så ser en återställning från säkerhetskopia ut: en kopia tagen ${after} och före kontrollpunkten vid post ${nextCheckpoint.seq} (${swedishTime(nextCheckpoint.at)}). ` +
        'Stämmer det med en återställning ni gjort: notera förlusten och börja en ny kontrollpunktsfil (docs/operations.md). Annars har slutet av loggen tagits bort: behandla det som en säkerhetsincident.'
      );
    }
  }
}

/** A Swedish sentence for a problem, for the command's output. */
export function describeProblem(problem: ChainProblem): string {
  switch (problem.kind) {
    case 'gap':
      if (problem.seq < problem.expected)
        return `Post ${problem.seq} kommer efter post ${problem.expected - 1}: poster har lagts in eller flyttats.`;
      return problem.seq === problem.expected + 1
        ? `Post ${problem.expected} saknas: en post har tagits bort.`
        : `Post ${problem.expected}–${problem.seq - 1} saknas: poster har tagits bort.`;
    case 'broken-link':
      return `Post ${problem.seq} pekar inte på föregående post: en post har lagts in eller flyttats.`;
    case 'altered':
      return `Post ${problem.seq} stämmer inte med sin kontrollsumma: posten har ändrats.`;
    case 'head-mismatch':
      return `Loggen slutar på post ${problem.lastSeq} men huvudet anger ${problem.headSeq}: poster har tagits bort eller lagts till i slutet.`;
    case 'truncated':
      return `En kontrollpunkt utanför databasen anger post ${problem.checkpointSeq}, men loggen slutar på post ${problem.lastSeq}: slutet av loggen saknas (återställt från en äldre säkerhetskopia, eller borttaget).`;
    case 'checkpoint-mismatch':
      return `Post ${problem.seq} är inte den post som kontrollpunkten utanför databasen såg: loggen har skrivits om.`;
    case 'checkpoint-altered':
      return `Rad ${problem.line} i kontrollpunktsfilen stämmer inte med sin kontrollsumma: kontrollpunkten har ändrats.`;
  }
}
