/** Verifies the whole access-log chain against the configured key. */
import { ChainVerifier, type ChainProblem } from '../domain/access-log.ts';
import type { AccessLogStore } from '../store/access-log-store.ts';

export interface VerifyResult {
  entries: number;
  problem: ChainProblem | null;
}

export async function verifyAccessLog(log: AccessLogStore, key: string): Promise<VerifyResult> {
  const verifier = new ChainVerifier(key);
  // Read the head first: entries appended while we scan lie beyond it and are not judged.
  const head = await log.head();
  scan: for await (const page of log.scan()) {
    for (const entry of page) {
      if (entry.seq > head.seq) break scan;
      if (!verifier.push(entry)) break scan;
    }
  }
  return { entries: verifier.count, problem: verifier.finish(head) };
}

/** A Swedish sentence for a problem, for the command's output. */
export function describeProblem(problem: ChainProblem): string {
  switch (problem.kind) {
    case 'gap':
      return `Post ${problem.expected} saknas (nästa post är ${problem.seq}): en post har tagits bort.`;
    case 'broken-link':
      return `Post ${problem.seq} pekar inte på föregående post: en post har lagts in eller flyttats.`;
    case 'altered':
      return `Post ${problem.seq} stämmer inte med sin kontrollsumma: posten har ändrats.`;
    case 'head-mismatch':
      return `Loggen slutar på post ${problem.lastSeq} men huvudet anger ${problem.headSeq}: poster har tagits bort eller lagts till i slutet.`;
  }
}
