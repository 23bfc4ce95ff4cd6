import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { fieldErrorsOf } from './lines.ts';

/**
 * A form's sending: its field errors (the page's own checks, then the server's details, each
 * shown at its field), the error for the alert when no field takes it, and whether it is sending.
 */
export function useSave() {
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [isSending, setIsSending] = useState(false);

  /** Runs `send` unless `found` holds errors; true when it succeeded. */
  async function save(found: Record<string, string>, send: () => Promise<void>): Promise<boolean> {
    setFieldErrors(found);
    setError(null);
    if (Object.keys(found).length > 0) return false;
    setIsSending(true);
    try {
      await send();
      return true;
    } catch (e) {
      const byField = e instanceof ApiError ? fieldErrorsOf(e.details) : {};
      setFieldErrors(byField);
      setError(e);
      return false;
    } finally {
      setIsSending(false);
    }
  }

  const reset = () => {
    setFieldErrors({});
    setError(null);
  };
  return { fieldErrors, error, isSending, save, reset, setError };
}

/** The last outcome a section shows (`done`), also read out by screen readers when told. */
export function useOutcome() {
  const announce = useAnnounce();
  const [done, setDone] = useState('');
  const tell = (message: string) => {
    setDone(message);
    announce(message);
  };
  return { done, setDone, tell };
}

/**
 * A registry form's draft: `set(field)` for a field's onChange, `edit` to change a registered
 * entry (its id in `editing`; the form `formId` scrolled into view), `clear` back to a new entry.
 */
export function useRegistryDraft<D extends object>(empty: D, formId: string, form: { reset: () => void }) {
  const [draft, setDraft] = useState<D>(empty);
  const [editing, setEditing] = useState<string | null>(null);
  const set = (field: keyof D) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const edit = (id: string, values: D) => {
    form.reset();
    setEditing(id);
    setDraft(values);
    document.getElementById(formId)?.scrollIntoView({ block: 'start' });
  };
  const clear = () => {
    setEditing(null);
    setDraft(empty);
  };
  return { draft, setDraft, set, editing, edit, clear };
}
