-- The team seq at which a partner's professional stopped being a member (left, removed, declined):
-- the partner's node still receives the events up to that one, so its replica learns of the
-- change, and none after it unless another of its professionals is still in the team.
alter table board_members add column ended_seq integer;
