-- 下書き保存 of a long form (主治医意見書 and the others): one unsent draft per author, patient and form,
-- kept on the node (not in the browser, which may be a shared terminal) until the form is sent, when
-- it is deleted in the same write. Only its author ever reads it, and only while a member of the team.
create table care_form_drafts (
  author_id   text not null references users (id),
  board_id    text not null references care_boards (id),
  template_id text not null,
  values_json text not null,
  saved_at    text not null,
  primary key (author_id, board_id, template_id)
) strict;
