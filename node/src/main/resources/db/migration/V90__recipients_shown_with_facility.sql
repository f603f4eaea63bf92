-- A direct post (特別便) shows each recipient with facility and municipality, so two people of the same
-- name are told apart on the post too (issue 16). The kept first page of a timeline is dropped when a
-- recipient's name changes (V27); now also when their facility, a partner's described facility, or the
-- facility's name or municipality changes.
drop trigger users_touch_name;
create trigger users_touch_name after update of family_name, given_name, facility_id, remote_facility on users begin
  insert or ignore into board_touches (board_id)
    select distinct p.board_id from post_recipients r join posts p on p.id = r.post_id where r.user_id = new.id;
end;

create trigger facilities_touch_recipients after update of name, municipality_code on facilities begin
  insert or ignore into board_touches (board_id)
    select distinct p.board_id from post_recipients r join posts p on p.id = r.post_id
      join users u on u.id = r.user_id where u.facility_id = new.id;
end;
