-- Wide-area agreements (広域連携協定) this node is a party to: every version ever imported is kept,
-- so an amendment can be checked against its predecessor and the history stays readable.
-- The document is the JWS JSON general serialization with every signature known for that version.
create table agreement_versions (
  agreement_id text    not null,
  version      integer not null,
  sha256       text    not null,
  title        text    not null,
  document     text    not null,
  imported_at  text    not null,
  updated_at   text    not null,
  primary key (agreement_id, version)
) strict;

-- Withdrawal statements, each signed by the withdrawing party alone; effective from the moment
-- they are stored.
create table agreement_withdrawals (
  agreement_id text    not null,
  version      integer not null,
  node         text    not null,
  statement    text    not null,
  withdrawn_at text    not null,
  received_at  text    not null,
  primary key (agreement_id, version, node),
  foreign key (agreement_id, version) references agreement_versions (agreement_id, version)
) strict;

-- What happened to the agreements and when: imports, added signatures, withdrawals.
create table agreement_history (
  seq          integer primary key autoincrement,
  at           text    not null,
  action       text    not null check (action in ('imported', 'signatures-added', 'withdrawal')),
  agreement_id text    not null,
  version      integer not null,
  sha256       text    not null,
  detail       text    not null
) strict;
