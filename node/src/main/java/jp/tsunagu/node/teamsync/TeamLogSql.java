package jp.tsunagu.node.teamsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the team event log (migration V7): where a board is homed, its sequenced events (and, V258,
 * those still waiting for their signatures), who receives them and how far each partner acknowledged,
 * and the first sharing of a board's history. The outbox, refusals and replicas have their own {@code OutboxSql}, {@code RefusalSql}
 * and {@code ReplicaSql}.
 */
final class TeamLogSql {

  /** Where a board is homed: {@code homeNode} empty for this node's own boards. */
  record BoardHome(String boardId, String kind, Optional<String> homeNode, String replicaState) {
    boolean local() {
      return homeNode.isEmpty();
    }
  }

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

  /**
   * What a write on a board needs to know before it logs an event, read in one statement: where the board is
   * homed, its latest seq ({@link #latestSeq}; 0 for a board homed here that no partner shares) and how far its
   * first sharing has come, if it is under way.
   */
  record BoardLog(BoardHome home, long latestSeq, Optional<Sharing> sharing) {}

  /**
   * Whether the board (the one parameter) takes part in sharing: a replica, or a board homed here whose
   * log has begun (what {@link #boardLog} tells {@link TeamLog#record} to act on: not local, or a latest
   * seq above 0).
   */
  static final String TAKES_PART_IN_SHARING = "exists (select 1 from care_boards b where b.id = ?"
      + " and (b.home_node is not null or exists (select 1 from team_events e where e.board_id = b.id)"
      + " or exists (select 1 from replica_skipped_events k where k.board_id = b.id)))";

  static Optional<BoardLog> boardLog(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select b.id, b.kind, b.home_node, coalesce(b.replica_state,"
        + " 'live'), max(coalesce((select max(seq) from team_events where board_id = b.id), 0),"
        + " coalesce((select max(seq) from replica_skipped_events where board_id = b.id), 0)), x.done_post_seq,"
        + " x.records_listed from care_boards b left join board_sharing x on x.board_id = b.id where b.id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        BoardHome home = new BoardHome(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)),
            rs.getString(4));
        long latest = rs.getLong(5);
        long done = rs.getLong(6);
        Optional<Sharing> sharing = rs.wasNull() ? Optional.empty() : Optional.of(new Sharing(done, rs.getInt(7) == 1));
        return Optional.of(new BoardLog(home, latest, sharing));
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

  /** What an event sequenced here still needs signed: a partner's envelope, or this node's event (V258). */
  record Unsigned(String boardId, long seq, String eventId, String acceptedAt, String originEnvelope, String event) {}

  /** An event sequenced here and its countersigned envelope, made outside the writer's transaction. */
  record Signed(String boardId, long seq, String envelope) {}

  /** The envelope stored in place of a signed one while the event waits for its signatures. */
  static final String UNSIGNED = "";

  /**
   * Logs an event at its seq without signatures: the envelope follows in a later transaction
   * ({@link #signed}). Exactly one of {@code originEnvelope} and {@code event} is given.
   */
  static void insertUnsigned(Connection c, String boardId, long seq, String eventId, String type, String origin,
      String acceptedAt, String originEnvelope, String event, long writeOrder) throws SQLException {
    insertEvent(c, boardId, seq, eventId, type, origin, UNSIGNED, acceptedAt);
    try (PreparedStatement s = c.prepareStatement("insert into team_events_unsigned (board_id, seq, origin_envelope,"
        + " event, write_order) values (?, ?, ?, ?, ?)")) {
      s.setString(1, boardId);
      s.setLong(2, seq);
      s.setString(3, originEnvelope);
      s.setString(4, event);
      s.setLong(5, writeOrder);
      s.executeUpdate();
    }
  }

  /** The events waiting for their signatures, each board's in seq order (the lowest first). */
  static List<Unsigned> unsigned(Connection c, int limit) throws SQLException {
    return unsigned(c, limit, Long.MAX_VALUE);
  }

  /**
   * {@link #unsigned} of the rows written up to {@code writeOrder} (V278: those whose transaction is
   * acknowledged), each board's only up to its first row written after it, so a page never skips a seq.
   */
  static List<Unsigned> unsigned(Connection c, int limit, long writeOrder) throws SQLException {
    List<Unsigned> events = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select u.board_id, u.seq, e.event_id, e.accepted_at,"
        + " u.origin_envelope, u.event from team_events_unsigned u join team_events e on e.board_id = u.board_id"
        + " and e.seq = u.seq where u.write_order <= ?1 and not exists (select 1 from team_events_unsigned later"
        + " where later.board_id = u.board_id and later.seq < u.seq and later.write_order > ?1)"
        + " order by u.board_id, u.seq limit ?2")) {
      s.setLong(1, writeOrder);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          events.add(new Unsigned(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6)));
        }
      }
    }
    return events;
  }

  /**
   * Stores the envelopes made for unsigned events; one already stored (a second signer's) is left as it is. The
   * events are a page of {@link #unsigned}: each board's lowest unsigned seqs, without a gap, and every seq given
   * since is higher; so what waited of a board up to its highest seq here is deleted in one statement, not one a
   * seq.
   */
  static void signed(Connection c, List<Signed> events) throws SQLException {
    java.util.Map<String, Long> highest = new java.util.LinkedHashMap<>();
    try (PreparedStatement update = c.prepareStatement("update team_events set envelope = ? where board_id = ?"
        + " and seq = ? and envelope = ''")) {
      for (Signed event : events) {
        update.setString(1, event.envelope());
        update.setString(2, event.boardId());
        update.setLong(3, event.seq());
        update.executeUpdate();
        highest.merge(event.boardId(), event.seq(), Math::max);
      }
    }
    try (PreparedStatement done = c.prepareStatement(
        "delete from team_events_unsigned where board_id = ? and seq <= ?")) {
      for (var board : highest.entrySet()) {
        done.setString(1, board.getKey());
        done.setLong(2, board.getValue());
        done.executeUpdate();
      }
    }
  }

  /** The envelope at a seq: empty while it waits for its signatures ({@link #UNSIGNED}); none without an event. */
  static Optional<String> envelopeAt(Connection c, String boardId, long seq) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select envelope from team_events where board_id = ? and seq = ?")) {
      s.setString(1, boardId);
      s.setLong(2, seq);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** An event accepted here: where it is in the log, its envelope ({@link #UNSIGNED} for now) and its origin's. */
  record AcceptedEvent(String boardId, long seq, String envelope, String originEnvelope) {}

  /** The event accepted under an id, if any, with the origin's envelope it embeds or waits to embed. */
  static Optional<AcceptedEvent> accepted(Connection c, String eventId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select e.board_id, e.seq, e.envelope, u.origin_envelope"
        + " from team_events e left join team_events_unsigned u on u.board_id = e.board_id and u.seq = e.seq"
        + " where e.event_id = ?")) {
      s.setString(1, eventId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new AcceptedEvent(rs.getString(1), rs.getLong(2), rs.getString(3),
            rs.getString(4))) : Optional.empty();
      }
    }
  }

  /** The id of the event a board's log holds at a seq, if any. */
  static Optional<String> eventIdAt(Connection c, String boardId, long seq) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select event_id from team_events where board_id = ? and seq = ?")) {
      s.setString(1, boardId);
      s.setLong(2, seq);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** The event ids of a board's log from seq {@code from} to {@code upTo}, by seq. */
  static java.util.Map<Long, String> eventIds(Connection c, String boardId, long from, long upTo)
      throws SQLException {
    java.util.Map<Long, String> ids = new java.util.HashMap<>();
    try (PreparedStatement s = c.prepareStatement("select seq, event_id from team_events where board_id = ?"
        + " and seq >= ? and seq <= ?")) {
      s.setString(1, boardId);
      s.setLong(2, from);
      s.setLong(3, upTo);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.put(rs.getLong(1), rs.getString(2));
        }
      }
    }
    return ids;
  }

  /** The stored countersigned envelope of an event id, if accepted. */
  static Optional<String> acceptedEnvelope(Connection c, String eventId) throws SQLException {
    return text(c, "select envelope from team_events where event_id = ?", eventId);
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

  /** The last seq of a board homed here that a push can send: before its first event still waiting for signatures. */
  static long signedHead(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select coalesce((select min(seq) - 1 from team_events_unsigned"
        + " where board_id = ?1), (select max(seq) from team_events where board_id = ?1), 0)")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static List<String> envelopesAfter(Connection c, String boardId, long after, long upTo, int limit)
      throws SQLException {
    List<String> envelopes = new ArrayList<>();
    // never past the first event still waiting for its signatures: a partner gets signed events, without gaps
    try (PreparedStatement s = c.prepareStatement("select envelope from team_events where board_id = ?1 and seq > ?2"
        + " and seq <= ?3 and seq < coalesce((select min(seq) from team_events_unsigned where board_id = ?1), ?3 + 1)"
        + " order by seq limit ?4")) {
      s.setString(1, boardId);
      s.setLong(2, after);
      s.setLong(3, Math.min(upTo, Long.MAX_VALUE - 1));
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
   * Of {@code partners}, those this node may owe anything: the home node of a pending write of this node, or
   * the node of a member (in any state) of a board homed here. A superset of what the outbox, the invitations
   * and {@link #sharedWith} find per partner, read in one statement: the periodic sweep then costs one read,
   * not three per partner (about 150 reads a second on each node of a 50-node agreement, nearly all answering
   * nothing). The outbox is sought per partner through its index; the members in one pass over the users.
   */
  static java.util.Set<String> partnersOwed(Connection c, List<String> partners) throws SQLException {
    java.util.Set<String> owed = new java.util.HashSet<>();
    try (PreparedStatement s = c.prepareStatement("select p.value from json_each(?) p where exists (select 1"
        + " from sync_outbox o where o.home_node = p.value and o.state = 'pending')"
        + " union select u.home_node from users u join board_members m on m.user_id = u.id"
        + " join care_boards b on b.id = m.board_id where u.home_node is not null and b.home_node is null")) {
      s.setString(1, new io.vertx.core.json.JsonArray(partners).encode());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          owed.add(rs.getString(1));
        }
      }
    }
    owed.retainAll(partners);
    return owed;
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

  static long ackedSeq(Connection c, String peer, String boardId) throws SQLException {
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
    if (upTo.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement(
          "insert or ignore into board_histories_sent (board_id, sent_at) values (?, strftime('%Y-%m-%dT%H:%M:%fZ'))")) {
        s.setString(1, boardId);
        s.executeUpdate();
      }
    }
  }

  /**
   * Boards homed here that partners receive, whose first sharing finished before the features'
   * records went with it (no row in V257's table, none being shared): each is marked as being shared
   * again with all its posts already in the log, so the sharing pass lists and sends its records
   * only. Returns the boards.
   */
  static List<String> queueMissingHistories(Connection c) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select b.id from care_boards b where b.home_node is null"
        + " and exists (select 1 from team_events e where e.board_id = b.id)"
        + " and not exists (select 1 from board_sharing x where x.board_id = b.id)"
        + " and not exists (select 1 from board_histories_sent h where h.board_id = b.id) order by b.id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    try (PreparedStatement s = c.prepareStatement("insert into board_sharing (board_id, done_post_seq)"
        + " values (?, (select coalesce(max(seq), 0) from posts where board_id = ?))")) {
      for (String id : ids) {
        s.setString(1, id);
        s.setString(2, id);
        s.addBatch();
      }
      s.executeBatch();
    }
    return ids;
  }

  /** A board being shared for the first time: how far its posts are logged, whether its records are listed. */
  record Sharing(long donePostSeq, boolean recordsListed) {}

  static Optional<Sharing> sharing(Connection c, String boardId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select done_post_seq, records_listed from board_sharing where board_id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Sharing(rs.getLong(1), rs.getInt(2) == 1)) : Optional.empty();
      }
    }
  }

  /** A feature's record still to be logged in a board's first sharing (V230). */
  record HistoryRecord(long position, String history, String recordId) {}

  /** Lists the records of a board whose posts are all logged: their turn comes next. */
  static void listRecords(Connection c, String boardId, List<HistoryRecord> records) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into board_history_records (board_id, position, history,"
        + " record_id) values (?, ?, ?, ?)")) {
      for (HistoryRecord r : records) {
        s.setString(1, boardId);
        s.setLong(2, r.position());
        s.setString(3, r.history());
        s.setString(4, r.recordId());
        s.addBatch();
      }
      s.executeBatch();
    }
    try (PreparedStatement s = c.prepareStatement("update board_sharing set records_listed = 1 where board_id = ?")) {
      s.setString(1, boardId);
      s.executeUpdate();
    }
  }

  /** The next records of a board's first sharing, in their order. */
  static List<HistoryRecord> nextRecords(Connection c, String boardId, int limit) throws SQLException {
    List<HistoryRecord> records = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select position, history, record_id from board_history_records"
        + " where board_id = ? order by position limit ?")) {
      s.setString(1, boardId);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          records.add(new HistoryRecord(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return records;
  }

  /** A record logged: it no longer waits. */
  static void recordLogged(Connection c, String boardId, long position) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "delete from board_history_records where board_id = ? and position = ?")) {
      s.setString(1, boardId);
      s.setLong(2, position);
      s.executeUpdate();
    }
  }

  /** Whether any of the ids is a record of the board still waiting for its turn in the first sharing. */
  static boolean anyRecordWaiting(Connection c, String boardId, List<String> ids) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "select 1 from board_history_records where board_id = ? and record_id = ? limit 1")) {
      for (String id : ids) {
        s.setString(1, boardId);
        s.setString(2, id);
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            return true;
          }
        }
      }
    }
    return false;
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

  /** The first column of the first row of a one-parameter query, if any. */
  static Optional<String> text(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, param);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }
}
