-- OpenID Connect logins in progress (security.md 13). The state, nonce and PKCE verifier of a
-- login are bound to the browser that started it: the browser holds a random id in a short-lived
-- HttpOnly cookie, the row is keyed by the id's SHA-256. The callback deletes the row, so each
-- login can be completed once.
create table oidc_login (
  id text primary key,                      -- sha-256 of the cookie value, never the value itself
  kind text not null check (kind in ('staff', 'patient')),
  state text not null,
  nonce text not null,
  code_verifier text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index oidc_login_expires_idx on oidc_login (expires_at);
