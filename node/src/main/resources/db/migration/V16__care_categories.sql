-- 情報カテゴリー become the node administration's to set (municipal staff, 行政): add, rename,
-- reorder, stop offering. A category keeps its id across renames. Posts keep the category text
-- they were written with (a record stays as it was written, and posts from partner nodes carry
-- their own text); every name a category has had is kept in post_category_names, so filtering a
-- timeline by a category also finds the posts written under its former names.
-- 書類 and バイタル are fixed: forms and vitals file under them, so they cannot be renamed or
-- stopped (only moved).

create table post_categories_v16 (
  id       integer primary key,
  name     text not null unique,
  position integer not null,
  active   integer not null check (active in (0, 1)),
  fixed    integer not null check (fixed in (0, 1))
) strict;
insert into post_categories_v16 (name, position, active, fixed)
  select name, position, active, name in ('書類', 'バイタル') from post_categories order by position, name;
drop table post_categories;
alter table post_categories_v16 rename to post_categories;

create table post_category_names (
  name        text primary key,
  category_id integer not null references post_categories (id)
) strict, without rowid;
insert into post_category_names (name, category_id) select name, id from post_categories;
