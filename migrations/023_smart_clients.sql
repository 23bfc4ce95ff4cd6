-- SMART on FHIR: the FHIR API as a resource server of the region's authorization server
-- (docs/fhir.md, "Bearer tokens"). The clients registered here are the system integrations
-- (backend services: client_credentials with private_key_jwt at the region's authorization
-- server) and the browser apps whose origins may call /fhir (CORS). A system client acts for ONE
-- care provider; it sees at most what that provider's staff with a care relationship and consent
-- could see (src/domain/access.ts), and its token is honoured only for the scopes listed here.
create table smart_client (
  client_id text primary key check (length(client_id) between 1 and 200),
  name text not null check (length(name) between 1 and 200),
  provider_id text not null references care_provider (id),
  -- The most a token of this client is honoured for (SMART v2 or v1 scopes); narrows the token's own.
  scopes text[] not null default '{}',
  -- Exact origins (scheme://host[:port]) of browser apps of this client that may call /fhir.
  cors_origins text[] not null default '{}',
  -- https endpoints a later Subscription may deliver to (none is called by this migration's code).
  subscription_endpoints text[] not null default '{}',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  created_by text not null,
  updated_at timestamptz not null default now()
);
create index smart_client_origins_idx on smart_client using gin (cors_origins) where active;

-- The OAuth client of each access made with a bearer token (null: the web app's own session).
-- Part of the entry's hash only when set (src/domain/access-log.ts#canonicalEntry), so that the
-- entries written before this column verify as they did.
alter table access_log add column client_id text;
create index access_log_client_idx on access_log (client_id, at) where client_id is not null;
