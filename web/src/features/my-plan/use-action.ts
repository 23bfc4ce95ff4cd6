import { useState } from 'react';

/**
 * One change the patient makes at a time: `run` marks the form busy, clears the last message,
 * and on success shows `message` and reloads what the change touched. Resolves to whether it
 * succeeded, so that a form can clear its fields.
 */
export function useAction(reload: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<unknown>, message: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(message);
      reload();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { error, done, busy, run };
}
