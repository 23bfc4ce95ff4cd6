/**
 * Live updates for the staff app: which stored change events reach one member of staff, and
 * what each tells them. An event reaches them when the change is addressed to them (a
 * notification: they are the fast vårdkontakt) or the patient is on their worklist — and only
 * when they may see that patient: each event passes the access decision and is logged like a
 * search hit. An event names the patient (id and name) and the one-line summary, nothing more;
 * the app fetches the rest through the ordinary routes.
 */
import type { StaffActor } from '../domain/actor.ts';
import type { LiveEvent } from '../domain/notification.ts';
import { PROTECTED_SUMMARY } from '../domain/person-status.ts';
import type { StoredEvent } from '../store/event-store.ts';
import type { WorklistStore } from '../store/worklist-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { ChangeFeed } from './change-feed.ts';

export type { StoredEvent };
export type { LiveEvent };

export interface LiveEventServiceDeps {
  feed: ChangeFeed;
  access: AccessService;
  worklist: WorklistStore;
}

export function createLiveEventService(deps: LiveEventServiceDeps) {
  let streams = 0;
  return {
    /** Hears every published event (one live-update stream); returns the function that stops hearing. */
    subscribe: (listener: (event: StoredEvent) => void): (() => void) => {
      const unsubscribe = deps.feed.subscribe(listener);
      streams += 1;
      let isOpen = true;
      return () => {
        if (isOpen) streams -= 1;
        isOpen = false;
        unsubscribe();
      };
    },

    /** Live-update streams open now in this process (metrics). */
    openStreams: (): number => streams,

    /** What `event` tells `actor`, or null when it does not reach them. */
    async liveEventFor(
      ctx: RequestContext,
      actor: StaffActor,
      event: StoredEvent,
    ): Promise<LiveEvent | null> {
      if (event.actor.kind === 'staff' && event.actor.staffId === actor.staffId) return null;
      const isNotification = event.recipients.includes(actor.staffId);
      // An escalation reaches the physician it is addressed to (and the nurse who sent it)
      // even without consent to their unit: a disclosure, logged with its basis.
      if (isNotification && event.kind.startsWith('escalation.')) {
        await deps.access.logDisclosure(ctx, event.patientId, 'read', `live ${event.kind}`);
      } else {
        if (!isNotification && !(await deps.worklist.isOnWorklist(actor.staffId, event.patientId)))
          return null;
        const grant = (await deps.access.grantsFor(ctx, [event.patientId], 'search')).get(event.patientId);
        // A change made from a unit hidden by a spärr is not told, nor who made it (security.md 5).
        const isFromHiddenUnit =
          grant !== undefined && event.actor.kind === 'staff' && grant.isHidden(event.actor.unitId);
        if (!grant || isFromHiddenUnit) return null;
      }
      // A protected person's line names neither them nor what the summary may tell of where they live.
      const patient = await deps.worklist.listedPatient(event.patientId);
      return {
        eventId: event.id,
        patientId: event.patientId,
        patientName: patient?.name ?? '',
        kind: event.kind,
        summary: patient?.isProtected ? PROTECTED_SUMMARY : event.summary,
        actorName: event.actor.name,
        at: event.createdAt,
        isNotification,
      };
    },
  };
}

export type LiveEventService = ReturnType<typeof createLiveEventService>;
