-- Regional resources (地域資源, issue 7): the vocabulary staff classify them with, the resources
-- themselves, their photos, and the referrals professionals hand to residents.

-- Categories and sub-categories in one table: a sub-category has a parent. open_data_set names the
-- Digital Agency standard dataset a category's resources are exported as ('care_service' for
-- 介護サービス事業所一覧, 'public_facility' for 公共施設一覧), or null when none matches.
create table resource_categories (
  code          text primary key check (code glob '[a-z]*' and length(code) <= 60),
  parent_code   text references resource_categories (code),
  name_ja       text not null,
  open_data_set text check (open_data_set in ('care_service', 'public_facility')),
  sort_order    integer not null,
  unique (parent_code, name_ja)
) strict;

create table resource_tag_vocabulary (
  name_ja    text primary key,
  sort_order integer not null
) strict;

create table resources (
  id                text primary key,
  name              text not null,
  name_kana         text not null,
  category          text not null references resource_categories (code),
  sub_category      text references resource_categories (code),
  municipality_code text not null,
  address           text not null,
  building          text not null,
  latitude          real not null check (latitude between 20 and 46),
  longitude         real not null check (longitude between 122 and 154),
  phone             text not null,
  fax               text not null,
  url               text not null,
  description       text not null,
  schedule_rules    text not null,
  schedule_note     text not null,
  fee               text not null,
  capacity          integer,
  transport         text not null,
  accessibility     text not null,
  contact           text not null,
  operator_name     text not null,
  published         integer not null check (published in (0, 1)),
  last_verified     text,
  created_at        text not null,
  updated_at        text not null
) strict;
create index resources_published_category on resources (published, category);

create table resource_tags (
  resource_id text not null references resources (id) on delete cascade,
  tag         text not null references resource_tag_vocabulary (name_ja),
  primary key (resource_id, tag)
) strict;

-- Photos are small and few per resource, so they live in the database with the resource and are
-- served from this node (the page's Content-Security-Policy allows no other image hosts but tiles).
create table resource_photos (
  id           text primary key,
  resource_id  text not null references resources (id) on delete cascade,
  content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
  bytes        blob not null,
  caption      text not null,
  created_at   text not null
) strict;
create index resource_photos_resource on resource_photos (resource_id);

-- A referral sheet handed to a resident. resident_name is free text until the care-core issue
-- links referrals to patients.
create table referrals (
  id             text primary key,
  resident_name  text not null,
  referrer_name  text not null,
  referrer_org   text not null,
  comment        text not null,
  origin_label   text not null,
  origin_lat     real,
  origin_lon     real,
  created_by     text,
  created_at     text not null
) strict;

create table referral_items (
  referral_id text not null references referrals (id) on delete cascade,
  position    integer not null,
  resource_id text not null references resources (id),
  primary key (referral_id, position)
) strict;
create index referral_items_resource on referral_items (resource_id);

insert into resource_categories (code, parent_code, name_ja, open_data_set, sort_order) values
  ('care', null, '医療介護施設', 'care_service', 10),
  ('care.clinic', 'care', '病院・診療所', null, 11),
  ('care.dental', 'care', '歯科医院', null, 12),
  ('care.pharmacy', 'care', '薬局', null, 13),
  ('care.home_nursing', 'care', '訪問看護ステーション', 'care_service', 14),
  ('care.care_management', 'care', '居宅介護支援事業所', 'care_service', 15),
  ('care.home_help', 'care', '訪問介護', 'care_service', 16),
  ('care.day_service', 'care', '通所介護（デイサービス）', 'care_service', 17),
  ('care.residential', 'care', '入所施設', 'care_service', 18),
  ('gathering', null, '通いの場', null, 20),
  ('gathering.salon', 'gathering', 'サロン', null, 21),
  ('gathering.exercise', 'gathering', '体操・運動教室', null, 22),
  ('gathering.dementia_cafe', 'gathering', '認知症カフェ', null, 23),
  ('gathering.hobby', 'gathering', '趣味・学び', null, 24),
  ('gathering.place', 'gathering', '居場所・憩いの場', null, 25),
  ('welfare', null, '福祉施設', 'public_facility', 30),
  ('welfare.comprehensive', 'welfare', '地域包括支援センター', 'public_facility', 31),
  ('welfare.council', 'welfare', '社会福祉協議会', 'public_facility', 32),
  ('welfare.disability', 'welfare', '障害福祉サービス', null, 33),
  ('shopping', null, '買い物支援', null, 40),
  ('shopping.mobile', 'shopping', '移動スーパー', null, 41),
  ('shopping.delivery', 'shopping', '宅配・配食', null, 42),
  ('mobility', null, '移動支援', null, 50),
  ('mobility.demand', 'mobility', 'デマンド交通', null, 51),
  ('mobility.welfare_transport', 'mobility', '福祉有償運送', null, 52),
  ('toilet', null, '多目的トイレ', 'public_facility', 60),
  ('watch', null, '見守り・支え合い', null, 70),
  ('watch.orange', 'watch', 'オレンジサポーター', null, 71),
  ('watch.business', 'watch', '見守り協力事業所', null, 72),
  ('public', null, '公共施設', 'public_facility', 80),
  ('public.community_center', 'public', '公民館', 'public_facility', 81),
  ('public.library', 'public', '図書館', 'public_facility', 82);

insert into resource_tag_vocabulary (name_ja, sort_order) values
  ('室内', 10), ('屋外', 20), ('おしゃべり', 30), ('体操', 40), ('食事', 50), ('趣味', 60),
  ('認知症', 70), ('介護予防', 80), ('送迎あり', 90), ('車いす可', 100), ('予約不要', 110),
  ('無料', 120), ('男性歓迎', 130), ('家族も参加可', 140);
