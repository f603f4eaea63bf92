-- A vaccine on a partner's list only: a dose of it that a partner's professional records for a
-- patient homed here is accepted with the vaccine as the partner defined it (its code and name), kept
-- in the list for showing and counting the dose but not offered to this node's own staff. defined_by
-- names the partner node; null is this node's own list (and what the home node of a copy defined).
alter table vaccination_vaccines add column defined_by text;
