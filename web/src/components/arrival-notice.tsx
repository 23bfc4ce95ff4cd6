import { useEffect, useRef, type ReactNode } from 'react';

/**
 * What a screen says to someone who just arrived from finishing something elsewhere ("the
 * contract is activated"), passed in the navigation's state as `{ notice }`.
 */
export interface ArrivalState {
  notice: 'activated' | 'draft' | 'ended';
}

/** The notice from the navigation's state, if it is one we know. */
export function arrivalNoticeOf(state: unknown): ArrivalState['notice'] | null {
  const notice = (state as Partial<ArrivalState> | null)?.notice;
  return notice === 'activated' || notice === 'draft' || notice === 'ended' ? notice : null;
}

/**
 * A success notice that takes keyboard focus when it appears, so that the confirmation is the
 * first thing read after the move, not the page's heading.
 */
export function FocusedNotice({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Page focuses its heading in its own effect, which runs after this child's: wait a tick.
    const timer = window.setTimeout(() => ref.current?.focus(), 0);
    return () => window.clearTimeout(timer);
  }, []);
  return (
    <div ref={ref} tabIndex={-1} className="alert alert-success focused-notice">
      <p>{children}</p>
    </div>
  );
}
