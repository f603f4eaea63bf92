-- The usage report counts disaster and sensor use per municipality the node serves (a joint council's
-- node serves several). The municipality is recorded where the use happens, when it happens: a safety
-- check in the checked person's municipality as the register holds them, a monitored household in its
-- patient's municipality or, for a register person, the register's. Null is 不明 (unknown), shown so in
-- the report; a code is never guessed.
alter table disaster_safety_checks add column municipality_code text;
alter table sensor_households add column municipality_code text;

-- Existing checks: the person's municipality when every version of the register that holds them
-- agrees on one; a person the register moved between municipalities (or no longer holds) stays 不明.
update disaster_safety_checks
   set municipality_code = (select min(p.municipality_code) from disaster_register_people p
                             where p.person_key = disaster_safety_checks.person_key
                            having count(distinct p.municipality_code) = 1);

-- Existing households: the patient's municipality of record; a register person's as above.
update sensor_households
   set municipality_code = coalesce(
         (select p.municipality_code from patients p where p.id = sensor_households.patient_id),
         (select min(r.municipality_code) from disaster_register_people r
           where r.person_key = sensor_households.register_person_key
          having count(distinct r.municipality_code) = 1));
