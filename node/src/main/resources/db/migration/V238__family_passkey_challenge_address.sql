-- The address a login challenge was handed to: the unauthenticated passkey door keeps at most a few
-- outstanding challenges per address (and a bound for the whole node), counted from these rows.
alter table family_passkey_challenges add column client_address text;
create index family_passkey_challenges_address on family_passkey_challenges (client_address, expires_at);
