import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from './client.ts';

export interface Loaded<T> {
  data: T | undefined;
  etag: string | null;
  error: ApiError | undefined;
  isLoading: boolean;
  /** Fetches again; the old data stays on screen meanwhile. */
  reload: () => void;
}

/** GETs `url` (null: nothing yet) and keeps the answer, its ETag and any error. */
export function useApi<T>(url: string | null): Loaded<T> {
  const [state, setState] = useState<{
    data?: T;
    etag: string | null;
    error?: ApiError;
    url: string | null;
    round: number;
  }>({ etag: null, url: null, round: -1 });
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (url === null) return;
    let isCurrent = true;
    api
      .get<T>(url)
      .then((answer) => {
        if (isCurrent) setState({ data: answer.body, etag: answer.etag, url, round });
      })
      .catch((error: unknown) => {
        if (!isCurrent) return;
        const apiError =
          error instanceof ApiError
            ? error
            : new ApiError(0, 'network', error instanceof Error ? error.message : '');
        setState({ etag: null, error: apiError, url, round });
      });
    return () => {
      isCurrent = false;
    };
  }, [url, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  const isSameUrl = state.url === url;
  return {
    data: isSameUrl ? state.data : undefined,
    etag: isSameUrl ? state.etag : null,
    error: isSameUrl ? state.error : undefined,
    isLoading: url !== null && (!isSameUrl || state.round !== round),
    reload,
  };
}
