import { useEffect, useRef } from 'react';

/**
 * What just happened, in words ("Samtycket är borttaget."). It takes the focus when it
 * appears: the button that was pressed has often gone with its row, and focus must not fall
 * back to the top of the page; a screen reader reads the note as it gets focus.
 */
export function SuccessNote({ message }: { message: string | null }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  if (!message) return null;
  return (
    <p ref={ref} tabIndex={-1} className="alert alert-success success-note">
      {message}
    </p>
  );
}
