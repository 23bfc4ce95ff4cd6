-- What the population register (folkbokföringen) says about a person, beside the name: the
-- address, a protection marker, death and move-out. The product takes them from the register
-- (the imported register, or the national person service), never from a form: `register_source`
-- says which and `register_checked_at` when.
--
-- protection:
--   none                   no marker
--   sekretessmarkering     sekretessmarkerade personuppgifter (OSL 22 kap 1 §): the address and
--                          the municipality never leave the server; the name only where care needs it
--   skyddad-folkbokforing  skyddad folkbokföring (FOL 16 §): the same; the register's address is
--                          not the person's real one and is not even kept
alter table patient
  add column address_line text,
  add column postal_code text,
  add column city text,
  add column municipality_code text check (municipality_code ~ '^[0-9]{4}$'),
  add column protection text not null default 'none'
    check (protection in ('none', 'sekretessmarkering', 'skyddad-folkbokforing')),
  add column deceased_on date,
  add column moved_out_on date,
  add column register_source text check (register_source in ('import', 'personuppgiftstjansten', 'manual', 'demo')),
  add column register_checked_at timestamptz,
  -- A person with skyddad folkbokföring has no address here.
  add constraint patient_protected_no_address check (
    protection <> 'skyddad-folkbokforing'
    or (address_line is null and postal_code is null and city is null and municipality_code is null));
