-- Referral sheets made from a patient's page (周辺資源) name that patient: the sheet is then
-- opened by the patient's care team, and the patient's page lists the referrals made for them.
-- Referrals made without a patient keep a null patient_id and stay readable by their author only.
alter table referrals add column patient_id text references care_boards (id);
create index referrals_patient on referrals (patient_id, created_at);
