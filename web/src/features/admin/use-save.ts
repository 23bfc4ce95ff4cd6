import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
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
