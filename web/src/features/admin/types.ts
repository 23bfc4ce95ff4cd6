/** The answers of api/admin-routes.ts as the page reads them: the server's own domain types. */
export type { EhrClientAuth as ClientAuth, EhrSystem } from '../../../../src/domain/ehr-launch.ts';
export type { ProductRoleHolder as RoleHolder } from '../../../../src/domain/product-role.ts';
export type { SmartClient } from '../../../../src/domain/smart-client.ts';
