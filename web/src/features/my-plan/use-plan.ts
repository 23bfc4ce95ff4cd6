import { useCallback, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Contract, Overview } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';

/**
 * A patient's overview, with the contract a patient action answered laid over it at once (no
 * second round trip, no checkbox flicker). `act` posts one patient action and keeps its answer.
 */
export function usePlan(patientId: string) {
  const loaded = useApi<Overview>(`/api/patients/${patientId}/overview`);
  const [saved, setSaved] = useState<Contract | null>(null);
  const base = loaded.data;
  const isSavedNewer =
    saved !== null && base?.contract?.id === saved.id && saved.version > base.contract.version;
  const overview: Overview | undefined =
    base && isSavedNewer ? { ...base, contract: { ...base.contract!, ...saved } } : base;

  const act = useCallback(
    async (path: string, body: unknown = {}): Promise<Contract> => {
      const answer = await api.post<Contract>(`/api/patients/${patientId}/${path}`, body);
      setSaved(answer.body);
      return answer.body;
    },
    [patientId],
  );
  return { overview, error: loaded.error, reload: loaded.reload, act };
}
