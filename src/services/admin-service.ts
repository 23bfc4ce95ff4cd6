/**
 * The Administration page's use cases (api/admin-routes.ts): the registries a systemförvaltare
 * keeps without shell access, through the same services as the CLIs. Only a systemförvaltare at
 * the unit they act from (deny by default, 403); every change is written to the access log
 * (action `administration`) once it is checked and before it is made, and to `admin_change` with
 * the change itself. The systemförvaltare reads no patient here or anywhere (access.ts).
 */
import type { Actor } from '../domain/actor.ts';
import type { SmartClientRegistration } from '../domain/smart-client.ts';
import type { AdminChangeStore } from '../store/admin-change-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { EhrSystemRegistration, EhrSystemService } from './ehr-system-service.ts';
import type { ProductRoleChange, ProductRoleService } from './product-role-service.ts';
import type { SmartClientService } from './smart-client-service.ts';
import { requireSystemAdmin, type AdminBy } from './system-admin.ts';

export interface AdminServiceDeps {
  ehrSystems: EhrSystemService;
  smartClients: SmartClientService;
  productRoles: ProductRoleService;
  changes: AdminChangeStore;
  access: AccessService;
}

export function createAdminService(deps: AdminServiceDeps) {
  /** The systemförvaltare of the request, whose change is logged before it is written. */
  function byOf(ctx: RequestContext): AdminBy {
    const actor = requireSystemAdmin(ctx.actor);
    return {
      hsaId: actor.staffId,
      requestId: ctx.requestId,
      beforeWrite: (detail) => deps.access.logAction(ctx, null, 'administration', detail),
    };
  }
  /** Reads need the role too. */
  const reading = <T>(actor: Actor, read: () => Promise<T>): Promise<T> => {
    requireSystemAdmin(actor);
    return read();
  };

  return {
    listEhrSystems: (actor: Actor) => reading(actor, () => deps.ehrSystems.list()),
    /** Registers or changes a journal system; a switched-off one stays off. */
    saveEhrSystem: (ctx: RequestContext, input: EhrSystemRegistration) =>
      deps.ehrSystems.register(input, byOf(ctx), { keepActive: true }),
    setEhrSystemActive: (ctx: RequestContext, id: string, active: boolean) =>
      deps.ehrSystems.setActive(id, active, byOf(ctx)),

    listSmartClients: (actor: Actor) => reading(actor, () => deps.smartClients.list()),
    registerSmartClient: (ctx: RequestContext, input: SmartClientRegistration) =>
      deps.smartClients.register(input, byOf(ctx)),
    deactivateSmartClient: (ctx: RequestContext, clientId: string) =>
      deps.smartClients.deactivate(clientId, byOf(ctx)),

    listRoleHolders: (actor: Actor, limit: number) =>
      reading(actor, () => deps.productRoles.listHolders(limit)),
    giveRole: (ctx: RequestContext, input: ProductRoleChange) => deps.productRoles.give(input, byOf(ctx)),
    takeRole: (ctx: RequestContext, input: ProductRoleChange) => deps.productRoles.take(input, byOf(ctx)),

    /** The latest changes to the registries, from the page and the CLIs alike. */
    latestChanges: (actor: Actor, limit: number) => reading(actor, () => deps.changes.latest(limit)),
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
