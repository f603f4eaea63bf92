package jp.tsunagu.node.teamsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of team sync (tables of migration V7): the team event log, refused submissions, the
 * outbox of a member node's writes, partners' acknowledgements, and replica boards.
 */
final class TeamLogSql {

  /** Where a board is homed: {@code homeNode} empty for this node's own boards. */
  record BoardHome(String boardId, String kind, Optional<String> homeNode, String replicaState) {
    boolean local() {
      return homeNode.isEmpty();
    }
  }

  /** A waiting write of this node to a board homed elsewhere. */
  record OutboxRow(String eventId, String boardId, String homeNode, String envelope, int attempts,
      String nextAttemptAt, String createdAt) {}

  /** A board a partner receives, and how far: its latest seq here and what the partner acknowledged. */
  record SharedBoard(String boardId, long latestSeq, long ackedSeq) {}

  private TeamLogSql() {}

  static Optional<BoardHome> board(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select id, kind, home_node, coalesce(replica_state, 'live') from care_boards where id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new BoardHome(rs.getString(1), rs.getString(2),
            Optional.ofNullable(rs.getString(3)), rs.getString(4))) : Optional.empty();
      }
    }
  }

  /** The last seq of a board's log; on a replica also counting events it skipped (they are passed). */
  static long latestSeq(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select max(coalesce((select max(seq) from team_events"
        + " where board_id = ?1), 0), coalesce((select max(seq) from replica_skipped_events where board_id = ?1), 0))")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static void insertEvent(Connection c, String boardId, long seq, String eventId, String type, String origin,
      String envelope, String acceptedAt) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into team_events (board_id, seq, event_id, type, origin,"
        + " envelope, accepted_at) values (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, boardId);
      s.setLong(2, seq);
      s.setString(3, eventId);
      s.setString(4, type);
      s.setString(5, origin);
      s.setString(6, envelope);
      s.setString(7, acceptedAt);
      s.executeUpdate();
    }
  }

  /** The stored countersigned envelope of an event id, if accepted. */
  static Optional<String> acceptedEnvelope(Connection c, String eventId) throws SQLException {
    return text(c, "select envelope from team_events where event_id = ?", eventId);
  }

  /** The refusal kept for an event id: its code and message. */
  static Optional<String[]> rejection(Connection c, String eventId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select code, message from refused_events where event_id = ?")) {
      s.setString(1, eventId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
      }
    }
  }

  /** How many refusals of an origin were kept since a moment (the daily cap counts them). */
  static long refusalsSince(Connection c, String origin, String since) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select count(*) from refused_events where origin = ? and refused_at >= ?")) {
      s.setString(1, origin);
      s.setString(2, since);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Keeps a refusal by id, origin, code, hash and size: never the refused content itself. */
  static void insertRejection(Connection c, String eventId, String origin, String boardId, String code,
      String message, String sha256, long size, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert or ignore into refused_events (event_id, origin, board_id,"
        + " code, message, sha256, size, refused_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, eventId);
      s.setString(2, origin);
      s.setString(3, boardId);
      s.setString(4, code);
      s.setString(5, message.length() > 200 ? message.substring(0, 200) : message);
      s.setString(6, sha256);
      s.setLong(7, size);
      s.setString(8, now);
      s.executeUpdate();
    }
  }


  /**
   * Who receives what of a board homed here: a partner with an active professional in the team
   * receives everything; one whose professionals have all left receives the events up to the last
   * leaving (so its replica learns of it); others nothing. An invitation alone shares nothing: the
   * invited professional's node receives the team's history once she has accepted (until then it
   * holds only the invitation, see {@code invitation_deliveries}). A partner's node appears here
   * with the last seq it may receive.
   */
  private static final String RECEIVES = "select u.home_node, case when max(m.status = 'active') = 1"
      + " then " + Long.MAX_VALUE + " else max(m.ended_seq) end from board_members m join users u on u.id = m.user_id"
      + " where m.board_id = ? and u.home_node is not null and (m.status = 'active'"
      + " or (m.was_active = 1 and m.ended_seq is not null)) group by u.home_node";

  /** The last seq of a board each partner may receive (see {@link #RECEIVES}). */
  static java.util.Map<String, Long> receivers(Connection c, String boardId) throws SQLException {
    java.util.Map<String, Long> receivers = new java.util.LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement(RECEIVES)) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          receivers.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return receivers;
  }

  /** Records the seq at which a partner's professional stopped being a member. */
  static void membershipEnded(Connection c, String boardId, String memberId, long seq) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update board_members set ended_seq = ? where board_id = ?"
        + " and user_id = ? and user_id in (select id from users where home_node is not null)")) {
      s.setLong(1, seq);
      s.setString(2, boardId);
      s.setString(3, memberId);
      s.executeUpdate();
    }
  }

  static List<String> envelopesAfter(Connection c, String boardId, long after, long upTo, int limit)
      throws SQLException {
    List<String> envelopes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select envelope from team_events where board_id = ? and seq > ?"
        + " and seq <= ? order by seq limit ?")) {
      s.setString(1, boardId);
      s.setLong(2, after);
      s.setLong(3, upTo);
      s.setInt(4, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          envelopes.add(rs.getString(1));
        }
      }
    }
    return envelopes;
  }

  /**
   * The boards homed here that a partner receives: shared (logged) boards on which at least one of
   * its professionals is or was an active member, with how far it acknowledged each.
   */
  static List<SharedBoard> sharedWith(Connection c, String peer) throws SQLException {
    List<SharedBoard> boards = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select distinct m.board_id from board_members m join users u"
        + " on u.id = m.user_id join care_boards b on b.id = m.board_id where u.home_node = ? and b.home_node is null"
        + " and (m.status = 'active' or (m.was_active = 1 and m.ended_seq is not null)) order by m.board_id")) {
      s.setString(1, peer);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          candidates.add(rs.getString(1));
        }
      }
    }
    for (String boardId : candidates) {
      long upTo = receivers(c, boardId).getOrDefault(peer, 0L);
      long latest = Math.min(latestSeq(c, boardId), upTo);
      long acked = ackedSeq(c, peer, boardId);
      if (latest > 0 && (upTo == Long.MAX_VALUE || latest > acked)) {
        boards.add(new SharedBoard(boardId, latest, acked));
      }
    }
    return boards;
  }

  private static long ackedSeq(Connection c, String peer, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select acked_seq from sync_acks where peer = ? and board_id = ?")) {
      s.setString(1, peer);
      s.setString(2, boardId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** The partners with a professional on a board homed here (or one who left, until they have heard of it). */
  static List<String> memberNodes(Connection c, String boardId) throws SQLException {
    List<String> nodes = new ArrayList<>();
    for (var receiver : receivers(c, boardId).entrySet()) {
      if (receiver.getValue() == Long.MAX_VALUE || receiver.getValue() > ackedSeq(c, receiver.getKey(), boardId)) {
        nodes.add(receiver.getKey());
      }
    }
    return nodes;
  }

  static void acknowledge(Connection c, String peer, String boardId, long seq, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into sync_acks (peer, board_id, acked_seq, acked_at)"
        + " values (?, ?, ?, ?) on conflict (peer, board_id) do update set acked_seq = max(acked_seq,"
        + " excluded.acked_seq), acked_at = excluded.acked_at")) {
      s.setString(1, peer);
      s.setString(2, boardId);
      s.setLong(3, seq);
      s.setString(4, now);
      s.executeUpdate();
    }
  }

  /** When the oldest event a partner has not acknowledged was accepted, over its shared boards. */
  static Optional<String> oldestUnacknowledged(Connection c, String peer, List<SharedBoard> boards)
      throws SQLException {
    String oldest = null;
    for (SharedBoard board : boards) {
      if (board.latestSeq() > board.ackedSeq()) {
        try (PreparedStatement s = c.prepareStatement(
            "select accepted_at from team_events where board_id = ? and seq = ?")) {
          s.setString(1, board.boardId());
          s.setLong(2, board.ackedSeq() + 1);
          try (ResultSet rs = s.executeQuery()) {
            if (rs.next() && (oldest == null || rs.getString(1).compareTo(oldest) < 0)) {
              oldest = rs.getString(1);
            }
          }
        }
      }
    }
    return Optional.ofNullable(oldest);
  }

  static void insertOutbox(Connection c, String eventId, String boardId, String homeNode, String envelope, String now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into sync_outbox (event_id, board_id, home_node, envelope,"
        + " state, attempts, next_attempt_at, created_at) values (?, ?, ?, ?, 'pending', 0, ?, ?)")) {
      s.setString(1, eventId);
      s.setString(2, boardId);
      s.setString(3, homeNode);
      s.setString(4, envelope);
      s.setString(5, now);
      s.setString(6, now);
      s.executeUpdate();
    }
  }

  static List<OutboxRow> pendingOutbox(Connection c, String homeNode, int limit) throws SQLException {
    List<OutboxRow> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select event_id, board_id, home_node, envelope, attempts,"
        + " next_attempt_at, created_at from sync_outbox where home_node = ? and state = 'pending'"
        + " order by created_at, rowid limit ?")) {
      s.setString(1, homeNode);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(new OutboxRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
              rs.getString(6), rs.getString(7)));
        }
      }
    }
    return rows;
  }

  /** Whether writes of this node on a board still wait for its home node. */
  static boolean writesPending(Connection c, String boardId) throws SQLException {
    return text(c, "select event_id from sync_outbox where board_id = ? and state = 'pending' limit 1", boardId)
        .isPresent();
  }

  static boolean inOutbox(Connection c, String eventId) throws SQLException {
    return text(c, "select event_id from sync_outbox where event_id = ?", eventId).isPresent();
  }

  /** Settles a waiting write; returns whether it was still pending. */
  static boolean settleOutbox(Connection c, String eventId, String state, String code, String now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update sync_outbox set state = ?, code = ?, settled_at = ?"
        + " where event_id = ? and state = 'pending'")) {
      s.setString(1, state);
      s.setString(2, code);
      s.setString(3, now);
      s.setString(4, eventId);
      return s.executeUpdate() == 1;
    }
  }

  static void retryOutboxLater(Connection c, String eventId, String nextAttemptAt) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update sync_outbox set attempts = attempts + 1,"
        + " next_attempt_at = ? where event_id = ?")) {
      s.setString(1, nextAttemptAt);
      s.setString(2, eventId);
      s.executeUpdate();
    }
  }

  /** Writes waiting for a home node: how many, and since when. */
  /** This node's writes waiting for any home node. */
  static long outboxWaiting(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from sync_outbox where state = 'pending'");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long[] outboxBacklog(Connection c, String homeNode) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*), min(created_at) from sync_outbox"
        + " where home_node = ? and state = 'pending'")) {
      s.setString(1, homeNode);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        String oldest = rs.getString(2);
        return new long[] {rs.getLong(1), oldest == null ? -1 : java.time.Instant.parse(oldest).toEpochMilli()};
      }
    }
  }

  /** This node's replicas of boards homed at {@code homeNode}, with how far each has applied. */
  static List<SharedBoard> replicas(Connection c, String homeNode) throws SQLException {
    List<SharedBoard> boards = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select b.id, max(coalesce((select max(seq) from team_events e"
        + " where e.board_id = b.id), 0), coalesce((select max(seq) from replica_skipped_events k"
        + " where k.board_id = b.id), 0)) from care_boards b where b.home_node = ? and b.replica_state = 'live'")) {
      s.setString(1, homeNode);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          boards.add(new SharedBoard(rs.getString(1), rs.getLong(2), rs.getLong(2)));
        }
      }
    }
    return boards;
  }

  /** Whether any professional of this node is (or is invited to be) on the replica board. */
  static boolean anyLocalMember(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from board_members m join users u on u.id = m.user_id"
        + " where m.board_id = ? and u.home_node is null and m.status in ('active', 'invited') limit 1")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  static List<String> replicaHomes(Connection c) throws SQLException {
    List<String> homes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "select distinct home_node from care_boards where home_node is not null");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        homes.add(rs.getString(1));
      }
    }
    return homes;
  }

  /** The replica boards of a home node in a state. */
  static List<String> replicaIds(Connection c, String homeNode, String state) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "select id from care_boards where home_node = ? and replica_state = ?")) {
      s.setString(1, homeNode);
      s.setString(2, state);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  static void setReplicaState(Connection c, String boardId, String state, String frozenAt, String purgeAfter)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "update care_boards set replica_state = ?, frozen_at = ?, purge_after = ? where id = ?")) {
      s.setString(1, state);
      s.setString(2, frozenAt);
      s.setString(3, purgeAfter);
      s.setString(4, boardId);
      s.executeUpdate();
    }
  }

  static List<String> purgeDue(Connection c, String now) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id from care_boards where replica_state = 'frozen'"
        + " and purge_after <= ?")) {
      s.setString(1, now);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /**
   * Deletes every row of a replica board, children first (its data leaves this node). Returns the
   * hashes of the files its attachments named, for the caller to delete those no row names any more.
   */
  static List<String> purge(Connection c, String boardId) throws SQLException {
    List<String> hashes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select distinct a.sha256 from attachments a join posts p"
        + " on p.id = a.post_id where p.board_id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          hashes.add(rs.getString(1));
        }
      }
    }
    String posts = "(select id from posts where board_id = ?)";
    String[] statements = {
        "delete from post_versions where post_id in " + posts,
        "delete from post_recipients where post_id in " + posts,
        "delete from post_reads where post_id in " + posts,
        "delete from comments where post_id in " + posts,
        "delete from attachments where post_id in " + posts,
        "delete from vitals where board_id = ?",
        "delete from posts where board_id = ?",
        "delete from board_members where board_id = ?",
        "delete from team_events where board_id = ?",
        "delete from replica_skipped_events where board_id = ?",
        "delete from sync_outbox where board_id = ?",
        "delete from patients where id = ?",
        "delete from care_boards where id = ?"};
    for (String sql : statements) {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, boardId);
        s.executeUpdate();
      }
    }
    return hashes;
  }

  /** The first sharing of a board begins: its posts are logged in chunks from here (V21). */
  static void startSharing(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "insert or ignore into board_sharing (board_id, done_post_seq) values (?, 0)")) {
      s.setString(1, boardId);
      s.executeUpdate();
    }
  }

  /** How far the history of a board being shared is logged (the last post seq), empty when it is complete. */
  static Optional<Long> sharedUpTo(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select done_post_seq from board_sharing where board_id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /** Records a chunk logged: up to that post seq, or (empty) the history complete. */
  static void shared(Connection c, String boardId, Optional<Long> upTo) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(upTo.isPresent()
        ? "update board_sharing set done_post_seq = ? where board_id = ?"
        : "delete from board_sharing where board_id = ?")) {
      int i = 1;
      if (upTo.isPresent()) {
        s.setLong(i++, upTo.get());
      }
      s.setString(i, boardId);
      s.executeUpdate();
    }
  }

  /** The boards whose history is still being logged. */
  static List<String> boardsBeingShared(Connection c) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select board_id from board_sharing order by board_id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  /**
   * A home node's event this replica could not take: its seq is passed, and why is kept with the
   * event's id, hash and size (never its content: a home node cannot fill this node's disk with it).
   */
  static void insertSkipped(Connection c, String boardId, long seq, String eventId, String code, String message,
      String envelope, String now) throws SQLException {
    byte[] bytes = envelope.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (PreparedStatement s = c.prepareStatement("insert or ignore into replica_skipped_events (board_id, seq,"
        + " event_id, code, message, sha256, size, skipped_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, boardId);
      s.setLong(2, seq);
      s.setString(3, eventId == null || eventId.length() <= 100 ? eventId : eventId.substring(0, 100));
      s.setString(4, code);
      s.setString(5, message == null ? "" : message.length() > 200 ? message.substring(0, 200) : message);
      s.setString(6, jp.tsunagu.federation.crypto.Sha256.hex(bytes));
      s.setLong(7, bytes.length);
      s.setString(8, now);
      s.executeUpdate();
    }
  }

  /** An event of a board homed here that a partner answered as rejected; returns whether it is new. */
  static boolean insertPushRejection(Connection c, String peer, String boardId, long seq, String eventId, String code,
      String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert or ignore into sync_push_rejections (peer, board_id, seq,"
        + " event_id, code, rejected_at) values (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, peer);
      s.setString(2, boardId);
      s.setLong(3, seq);
      s.setString(4, eventId);
      s.setString(5, code);
      s.setString(6, now);
      return s.executeUpdate() == 1;
    }
  }

  static long pushRejections(Connection c, String peer) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from sync_push_rejections where peer = ?")) {
      s.setString(1, peer);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Whether any attachment row (of any board, posted or only uploaded) still names the file. */
  static boolean fileReferenced(Connection c, String sha256) throws SQLException {
    return text(c, "select sha256 from attachments where sha256 = ? limit 1", sha256).isPresent();
  }

  private static Optional<String> text(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, param);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }
}
