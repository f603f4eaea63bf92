package jp.tsunagu.node.meetings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The meetings tables: meetings, participants, documents, reminders sent and calendar feeds. */
final class MeetingSql {

  private static final String COLUMNS = "select id, board_id, kind, title, starts_at, ends_at, place, online,"
      + " video_provider, video_url, agenda, status, sequence, organizer_id, minutes, decisions, minutes_at"
      + " from meetings";

  private MeetingSql() {}

  static void insert(Connection c, Meeting m, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into meetings (id, board_id, kind, title, starts_at, ends_at,"
        + " place, online, video_provider, video_url, agenda, status, sequence, organizer_id, minutes, decisions,"
        + " minutes_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', null, ?, ?)")) {
      s.setString(1, m.id());
      s.setString(2, m.boardId());
      s.setString(3, m.kind().code());
      s.setString(4, m.title());
      s.setString(5, m.startsAt().toString());
      s.setString(6, m.endsAt().toString());
      s.setString(7, m.place());
      s.setInt(8, m.online() ? 1 : 0);
      s.setString(9, m.videoProvider());
      s.setString(10, m.videoUrl());
      s.setString(11, m.agenda());
      s.setString(12, m.status());
      s.setInt(13, m.sequence());
      s.setString(14, m.organizerId());
      s.setString(15, now);
      s.setString(16, now);
      s.executeUpdate();
    }
    replaceParticipants(c, m.id(), m.participants());
  }

  /** A change of what the meeting is (not its minutes), with the sequence raised. */
  static void update(Connection c, Meeting m, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update meetings set kind = ?, title = ?, starts_at = ?, ends_at = ?,"
        + " place = ?, online = ?, video_provider = ?, video_url = ?, agenda = ?, status = ?, sequence = ?,"
        + " updated_at = ? where id = ?")) {
      s.setString(1, m.kind().code());
      s.setString(2, m.title());
      s.setString(3, m.startsAt().toString());
      s.setString(4, m.endsAt().toString());
      s.setString(5, m.place());
      s.setInt(6, m.online() ? 1 : 0);
      s.setString(7, m.videoProvider());
      s.setString(8, m.videoUrl());
      s.setString(9, m.agenda());
      s.setString(10, m.status());
      s.setInt(11, m.sequence());
      s.setString(12, now);
      s.setString(13, m.id());
      s.executeUpdate();
    }
    replaceParticipants(c, m.id(), m.participants());
  }

  /** A partner's copy of a meeting homed elsewhere, as its home node last sent it. */
  static void saveCopy(Connection c, Meeting m, String now) throws SQLException {
    if (byId(c, m.id()).isEmpty()) {
      insert(c, m, now);
    } else {
      update(c, m, now);
    }
    try (PreparedStatement s = c.prepareStatement(
        "update meetings set minutes = ?, decisions = ?, minutes_at = ?, organizer_id = ? where id = ?")) {
      s.setString(1, m.minutes());
      s.setString(2, m.decisions());
      s.setString(3, m.minutesAt());
      s.setString(4, m.organizerId());
      s.setString(5, m.id());
      s.executeUpdate();
    }
  }

  /** What this node's participants of a partner's meeting are to be told by mail (once per sequence). */
  static void queueMail(Connection c, String meetingId, int sequence, String reason, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert or ignore into meeting_mail_queue (meeting_id, sequence,"
        + " reason, queued_at) values (?, ?, ?, ?)")) {
      s.setString(1, meetingId);
      s.setInt(2, sequence);
      s.setString(3, reason);
      s.setString(4, now);
      s.executeUpdate();
    }
  }

  /** A queued mail: the meeting and why. */
  record Queued(String meetingId, String reason) {}

  /** Takes every queued mail off the queue (the caller sends them after its commit). */
  static List<Queued> takeQueuedMails(Connection c) throws SQLException {
    List<Queued> queued = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "select meeting_id, reason from meeting_mail_queue order by queued_at, meeting_id, sequence")) {
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          queued.add(new Queued(rs.getString(1), rs.getString(2)));
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement("delete from meeting_mail_queue")) {
      s.executeUpdate();
    }
    return queued;
  }

  static void minutes(Connection c, String meetingId, String minutes, String decisions, List<String> attended,
      String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "update meetings set minutes = ?, decisions = ?, minutes_at = ?, updated_at = ? where id = ?")) {
      s.setString(1, minutes);
      s.setString(2, decisions);
      s.setString(3, now);
      s.setString(4, now);
      s.setString(5, meetingId);
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement(
        "update meeting_participants set attended = case when key in (select value from json_each(?)) then 1 else 0 end"
            + " where meeting_id = ?")) {
      s.setString(1, new io.vertx.core.json.JsonArray(attended).encode());
      s.setString(2, meetingId);
      s.executeUpdate();
    }
  }

  static boolean respond(Connection c, String meetingId, String userId, String response) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "update meeting_participants set response = ? where meeting_id = ? and user_id = ?")) {
      s.setString(1, response);
      s.setString(2, meetingId);
      s.setString(3, userId);
      return s.executeUpdate() == 1;
    }
  }

  /** A family contact's answer, on an upcoming scheduled meeting of the board that invites that address. */
  static boolean respondAsFamily(Connection c, String boardId, String meetingId, String email, String response,
      Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update meeting_participants set response = ? where meeting_id = ?"
        + " and user_id is null and lower(email) = lower(?) and meeting_id in (select id from meetings"
        + " where id = ? and board_id = ? and status = 'scheduled' and ends_at > ?)")) {
      s.setString(1, response);
      s.setString(2, meetingId);
      s.setString(3, email);
      s.setString(4, meetingId);
      s.setString(5, boardId);
      s.setString(6, now.toString());
      return s.executeUpdate() == 1;
    }
  }

  private static void replaceParticipants(Connection c, String meetingId, List<Meeting.Participant> people)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from meeting_participants where meeting_id = ?")) {
      s.setString(1, meetingId);
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement("insert into meeting_participants (meeting_id, key, user_id, email,"
        + " name, response, attended) values (?, ?, ?, ?, ?, ?, ?)")) {
      for (Meeting.Participant p : people) {
        s.setString(1, meetingId);
        s.setString(2, p.key());
        s.setString(3, p.userId());
        s.setString(4, p.email());
        s.setString(5, p.name());
        s.setString(6, p.response());
        s.setInt(7, p.attended() ? 1 : 0);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  static Optional<Meeting> byId(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COLUMNS + " where id = ?")) {
      s.setString(1, id);
      List<Meeting> found = read(c, s);
      return found.stream().findFirst();
    }
  }

  static List<Meeting> ofBoard(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COLUMNS + " where board_id = ? order by starts_at desc, id")) {
      s.setString(1, boardId);
      return read(c, s);
    }
  }

  /** The meetings a user takes part in that start in {@code [from, to)}, across every board. */
  static List<Meeting> ofParticipant(Connection c, String userId, Instant from, Instant to) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COLUMNS + " where id in (select meeting_id from meeting_participants"
        + " where user_id = ?) and starts_at >= ? and starts_at < ? order by starts_at, id")) {
      s.setString(1, userId);
      s.setString(2, from.toString());
      s.setString(3, to.toString());
      return read(c, s);
    }
  }

  /**
   * The scheduled meetings of a board not yet over at {@code now} that invite the family contact
   * {@code email} (compared without case, as mail addresses are typed), soonest first.
   */
  static List<Meeting> invitingFamily(Connection c, String boardId, String email, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COLUMNS + " where board_id = ? and status = 'scheduled'"
        + " and ends_at > ? and id in (select meeting_id from meeting_participants where user_id is null"
        + " and lower(email) = lower(?)) order by starts_at, id")) {
      s.setString(1, boardId);
      s.setString(2, now.toString());
      s.setString(3, email);
      return read(c, s);
    }
  }

  /** Scheduled meetings starting in {@code (now, until]}: the reminder job's candidates. */
  static List<Meeting> startingBetween(Connection c, Instant now, Instant until) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COLUMNS + " where status = 'scheduled' and starts_at > ?"
        + " and starts_at <= ? order by starts_at, id")) {
      s.setString(1, now.toString());
      s.setString(2, until.toString());
      return read(c, s);
    }
  }

  /** Records a reminder as sent; false when it was sent already (for this start time). */
  static boolean markReminder(Connection c, String meetingId, String kind, Instant startsAt, String now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert or ignore into meeting_reminders (meeting_id, kind,"
        + " starts_at, sent_at) values (?, ?, ?, ?)")) {
      s.setString(1, meetingId);
      s.setString(2, kind);
      s.setString(3, startsAt.toString());
      s.setString(4, now);
      return s.executeUpdate() == 1;
    }
  }

  static void insertDocument(Connection c, String id, String meetingId, String name, String contentType,
      byte[] content, String userId, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into meeting_documents (id, meeting_id, name, content_type,"
        + " content, uploaded_by, uploaded_at) values (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, meetingId);
      s.setString(3, name);
      s.setString(4, contentType);
      s.setBytes(5, content);
      s.setString(6, userId);
      s.setString(7, now);
      s.executeUpdate();
    }
  }

  static boolean documentExists(Connection c, String documentId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from meeting_documents where id = ?")) {
      s.setString(1, documentId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** A document's type, name and bytes. */
  record Content(String name, String contentType, byte[] bytes) {}

  static Optional<Content> document(Connection c, String meetingId, String documentId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select name, content_type, content from meeting_documents where id = ? and meeting_id = ?")) {
      s.setString(1, documentId);
      s.setString(2, meetingId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Content(rs.getString(1), rs.getString(2), rs.getBytes(3))) : Optional.empty();
      }
    }
  }

  static void insertFeed(Connection c, String sha256, String userId, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "insert into meeting_feeds (secret_sha256, user_id, status, created_at) values (?, ?, 'active', ?)")) {
      s.setString(1, sha256);
      s.setString(2, userId);
      s.setString(3, now);
      s.executeUpdate();
    }
  }

  static int revokeFeeds(Connection c, String userId, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update meeting_feeds set status = 'revoked', revoked_at = ?"
        + " where user_id = ? and status = 'active'")) {
      s.setString(1, now);
      s.setString(2, userId);
      return s.executeUpdate();
    }
  }

  /** The feed's owner and whether it is active, by the secret's hash. */
  record Feed(String userId, boolean active) {}

  static Optional<Feed> feed(Connection c, String sha256) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select user_id, status from meeting_feeds where secret_sha256 = ?")) {
      s.setString(1, sha256);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Feed(rs.getString(1), "active".equals(rs.getString(2)))) : Optional.empty();
      }
    }
  }

  static boolean hasActiveFeed(Connection c, String userId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select 1 from meeting_feeds where user_id = ? and status = 'active'")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static List<Meeting> read(Connection c, PreparedStatement s) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        String[] row = new String[17];
        for (int i = 0; i < 17; i++) {
          row[i] = rs.getString(i + 1);
        }
        rows.add(row);
      }
    }
    List<Meeting> meetings = new ArrayList<>();
    for (String[] r : rows) {
      meetings.add(new Meeting(r[0], r[1], MeetingKind.ofCode(r[2]).orElse(MeetingKind.CONFERENCE), r[3],
          Instant.parse(r[4]), Instant.parse(r[5]), r[6], "1".equals(r[7]), r[8], r[9], r[10], r[11],
          Integer.parseInt(r[12]), r[13], r[14], r[15], r[16], participants(c, r[0]), documents(c, r[0])));
    }
    return meetings;
  }

  private static List<Meeting.Participant> participants(Connection c, String meetingId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select key, user_id, email, name, response, attended"
        + " from meeting_participants where meeting_id = ? order by user_id is null, name, key")) {
      s.setString(1, meetingId);
      List<Meeting.Participant> found = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Meeting.Participant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getInt(6) == 1));
        }
      }
      return found;
    }
  }

  private static List<Meeting.Document> documents(Connection c, String meetingId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select id, name, content_type from meeting_documents where meeting_id = ? order by uploaded_at, id")) {
      s.setString(1, meetingId);
      List<Meeting.Document> found = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new Meeting.Document(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
      return found;
    }
  }
}
