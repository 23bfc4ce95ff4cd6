/**
 * Checkpoints of the access-log chain, kept where the database cannot rewrite them
 * (AUDIT_CHECKPOINT_FILE): the server appends one HMAC'd JSON line (last seq, its hash, the
 * time) every AUDIT_CHECKPOINT_SECONDS when it has written entries since the last one, and one
 * at shutdown. `npm run audit:verify` compares the chain with them (services/audit-verify.ts):
 * whoever can rewrite the database can cut off the log's end and move `access_log_head` back to
 * match, but not the file, and cannot compute a line's HMAC (its key is derived from AUDIT_KEY,
 * which the database never sees). See docs/security.md for what this does not cover.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkpointLine } from '../domain/access-log.ts';

export interface CheckpointWriterOptions {
  file: string;
  /** The key of the lines (`deriveKey(auditKey, 'access-log-checkpoint')`). */
  key: string;
  intervalSeconds: number;
  /** The last entry this process committed (its seq and hash); null before its first. */
  lastWritten: () => { seq: number; hash: string } | null;
  clock: () => Date;
  onError: (error: unknown) => void;
}

export interface CheckpointWriter {
  /** Appends a checkpoint now if entries were written since the last one. */
  write(): Promise<void>;
  /** Stops the timer and writes the last checkpoint. */
  stop(): Promise<void>;
}

/** Starts writing checkpoints; the timer does not keep the process alive. */
export function startCheckpoints(options: CheckpointWriterOptions): CheckpointWriter {
  let lastSeq = 0;
  let writing: Promise<void> = Promise.resolve();
  let isDirReady = false;

  async function append(): Promise<void> {
    const head = options.lastWritten();
    if (head === null || head.seq <= lastSeq) return;
    if (!isDirReady) {
      await mkdir(dirname(options.file), { recursive: true });
      isDirReady = true;
    }
    const line = checkpointLine(options.key, { ...head, at: options.clock().toISOString() });
    // O_APPEND: lines of several server processes on one file do not overwrite each other.
    await appendFile(options.file, `${line}\n`, { mode: 0o600, flag: 'a' });
    lastSeq = head.seq;
  }

  // One write at a time, in order; a failure is reported and the next tick tries again.
  const write = (): Promise<void> => {
    writing = writing.then(append).catch(options.onError);
    return writing;
  };
  const timer = setInterval(() => void write(), options.intervalSeconds * 1000);
  timer.unref();
  return {
    write,
    async stop() {
      clearInterval(timer);
      await write();
    },
  };
}

/** The checkpoint file's text, or null when there is none yet. */
export async function readCheckpointFile(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
