-- Topic-based FHIR Subscriptions (R4 Subscriptions Backport; docs/fhir.md, "Subscribing to plan
-- changes"). A registered system client (smart_client) subscribes to the topic "a patient's plan
-- changed", for one patient or for every patient its care provider may see; notifications are
-- id-only and go by rest-hook to one of the client's registered https endpoints.
create table subscription (
  id uuid primary key,
  client_id text not null references smart_client (client_id),
  -- The care provider the client acted for when it subscribed (the access rule at delivery uses
  -- the client's current registration, not this).
  provider_id text not null references care_provider (id),
  topic text not null,
  -- The filter `CarePlan?patient=Patient/<id>`; null: every patient the client may see.
  patient_id uuid references patient (id),
  endpoint text not null check (endpoint ~ '^https://'),
  reason text not null check (length(reason) between 1 and 500),
  status text not null check (status in ('requested', 'active', 'error', 'off')),
  -- After this instant the subscription is off.
  end_at timestamptz,
  -- Counts every event for this subscription since it started (SubscriptionStatus
  -- eventsSinceSubscriptionStart); each delivery carries its own number.
  events_since_start bigint not null default 0,
  -- The last change event when it was created: earlier events are not its to hear.
  start_event_id bigint not null default 0,
  last_error text,
  last_error_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz
);
create index subscription_client_idx on subscription (client_id, created_at) where deleted_at is null;
create index subscription_patient_idx on subscription (patient_id) where deleted_at is null;

-- One notification to send: the queue the delivery timer works off. A row is sent, retried with
-- backoff until `attempts` reaches the bound, or dropped (the access rule no longer lets the
-- client's provider see the patient, the subscription ended).
create table subscription_delivery (
  id bigint generated always as identity primary key,
  subscription_id uuid not null references subscription (id) on delete cascade,
  change_event_id bigint not null,
  event_number bigint not null,
  patient_id uuid not null references patient (id),
  -- The focus reference, `CarePlan/<id>` (id-only: the resource itself is never sent).
  focus text not null,
  event_kind text not null,
  event_at timestamptz not null,
  state text not null default 'pending' check (state in ('pending', 'delivered', 'dropped', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  last_error text,
  done_at timestamptz,
  unique (subscription_id, change_event_id)
);
create index subscription_delivery_due_idx on subscription_delivery (next_attempt_at) where state = 'pending';
create index subscription_delivery_patient_idx on subscription_delivery (patient_id) where state = 'pending';
