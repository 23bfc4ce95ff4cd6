/**
 * Live updates (server-sent events from GET /api/events): changes to my patients and
 * notifications addressed to me. Screens subscribe to refresh what they show; each
 * notification is also announced to screen readers.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveEvent } from '../../api/types.ts';
import { useAnnounce } from '../../components/announcer.tsx';

type Listener = (event: LiveEvent) => void;

interface LiveEvents {
  subscribe: (listener: Listener) => () => void;
  isConnected: boolean;
}

const LiveEventsContext = createContext<LiveEvents>({ subscribe: () => () => undefined, isConnected: false });

export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const listeners = useRef(new Set<Listener>());
  const [isConnected, setIsConnected] = useState(false);
  const tRef = useRef(t);
  useEffect(() => {
    tRef.current = t;
  }, [t]);

  useEffect(() => {
    const source = new EventSource('/api/events');
    source.onopen = () => setIsConnected(true);
    source.onerror = () => setIsConnected(false);
    source.addEventListener('patient-changed', (message: MessageEvent<string>) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(message.data) as LiveEvent;
      } catch {
        return;
      }
      if (event.isNotification) {
        announce(
          tRef.current('live.newNotification', { patient: event.patientName, summary: event.summary }),
        );
      }
      for (const listener of listeners.current) listener(event);
    });
    return () => source.close();
  }, [announce]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const value = useMemo(() => ({ subscribe, isConnected }), [subscribe, isConnected]);
  return <LiveEventsContext.Provider value={value}>{children}</LiveEventsContext.Provider>;
}

/** Calls `onEvent` for every live event while the component is shown. */
export function useLiveEvents(onEvent: Listener): boolean {
  const { subscribe, isConnected } = useContext(LiveEventsContext);
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => subscribe((event) => handler.current(event)), [subscribe]);
  return isConnected;
}
