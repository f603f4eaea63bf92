-- The lookups of an emergency search and open, each found by index instead of reading every row
-- (EXPLAIN QUERY PLAN showed a scan of each before).

-- A search by name always names the birth date: it narrows to a handful of patients, and the
-- name's forms (kanji or kana, whole or family name, spaces ignored) are compared among those.
create index patients_birth_date on patients (birth_date);

-- A search by phone compares the digits only; the expression is the one the search uses
-- (EmergencyRecordSql.DIGITS), so the index answers it.
create index patients_phone_digits on patients
  (replace(replace(replace(replace(phone, '-', ''), ' ', ''), '　', ''), 'ー', ''));

-- Whether the patient consented (shown on every emergency view): from the patient's confirmed match
-- to the register. Without it, the current register version's people were read one by one (50,000
-- for the benchmark's register) to find the match.
create index disaster_register_matches_patient on disaster_register_matches (patient_id, status);
