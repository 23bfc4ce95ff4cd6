/** The answers of api/admin-routes.ts as the page reads them. */
export type ClientAuth = 'none' | 'client_secret_basic' | 'private_key_jwt';

export interface EhrSystem {
  id: string;
  name: string;
  iss: string;
  clientId: string;
  clientAuth: ClientAuth;
  secretRef: string | null;
  keyId: string | null;
  active: boolean;
  updatedAt: string;
}

export interface SmartClient {
  clientId: string;
  name: string;
  providerId: string;
  scopes: string[];
  corsOrigins: string[];
  subscriptionEndpoints: string[];
  isActive: boolean;
}

export interface RoleHolder {
  staffId: string;
  name: string;
  title: string | null;
  unitId: string;
  unitName: string;
  providerName: string;
  role: string;
  givenAt: string | null;
  givenBy: string | null;
}
