package jp.tsunagu.node.care;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;

/**
 * Turns the writes of this node's members into signed team events, inside the write's own
 * transaction. On a board homed here that is shared with a partner, the event is signed, given the
 * board's next sequence number and countersigned at once, and stored in the team log. On a replica
 * it is signed and put in the outbox for the home node (a new post then shows as 送信待ち).
 * A board is shared from the first invitation of a partner's professional: its current state is
 * then written to the log as events, so partners receive the team's history.
 */
final class TeamLog {

  private final NodeIdentity identity;
  private final TeamEvents events;
  private final Clock clock;

  TeamLog(NodeIdentity identity, TeamEvents events, Clock clock) {
    this.identity = identity;
    this.events = events;
    this.clock = clock;
  }

  TeamEvents events() {
    return events;
  }

  /** Records what a local member just did on a board, if the board takes part in sync. */
  void record(Connection c, String boardId, TeamEvents.Draft draft) throws SQLException {
    TeamLogSql.BoardHome board = TeamLogSql.board(c, boardId).orElseThrow(CareErrors::notFound);
    if (board.local()) {
      if (TeamLogSql.latestSeq(c, boardId) > 0) {
        append(c, boardId, draft);
      }
      return;
    }
    String home = board.homeNode().orElseThrow();
    Event event = event(boardId, draft, home);
    TeamLogSql.insertOutbox(c, event.id(), boardId, home, EventEnvelope.sign(event, identity), now());
    if (draft.type().equals(TeamEvents.POST)) {
      PostSql.markPending(c, draft.targets().get(0), boardId);
    }
  }

  /** Whether a write on this board goes to another node's outbox rather than straight to the team. */
  static boolean replica(Connection c, String boardId) throws SQLException {
    return TeamLogSql.board(c, boardId).map(b -> !b.local()).orElse(false);
  }

  /** Signs, sequences and countersigns a local member's event on a board homed here. */
  private void append(Connection c, String boardId, TeamEvents.Draft draft) throws SQLException {
    Event event = event(boardId, draft, identity.name());
    String compact = EventEnvelope.sign(event, identity);
    sequence(c, boardId, new VerifiedEvent(event, identity.signingKeyId(), compact));
  }

  /** Gives a verified event the board's next number, countersigns and stores it; returns the envelope. */
  String sequence(Connection c, String boardId, VerifiedEvent verified) throws SQLException {
    long seq = TeamLogSql.latestSeq(c, boardId) + 1;
    Instant at = clock.instant();
    String countersigned = EventEnvelope.countersign(verified, seq, at, identity);
    TeamLogSql.insertEvent(c, boardId, seq, verified.event().id(), verified.event().type(),
        verified.event().origin(), countersigned, at.toString());
    if (verified.event().type().equals(TeamEvents.MEMBER)
        && !"active".equals(verified.event().data().get("status"))) {
      TeamLogSql.membershipEnded(c, boardId, String.valueOf(verified.event().data().get("member")), seq);
    }
    return countersigned;
  }

  private Event event(String boardId, TeamEvents.Draft draft, String home) {
    List<String> targets = new ArrayList<>();
    targets.add(boardId);
    draft.targets().stream().filter(t -> !targets.contains(t)).forEach(targets::add);
    return new Event(UUID.randomUUID().toString(), draft.type(), identity.name(), home, targets, clock.instant(),
        Json.parseObject(draft.data().encode()));
  }

  /**
   * Starts the log of a board homed here (once): the patient, the members, then every post with its
   * comments and read receipts, in the board's order. Deleted posts travel without their text.
   */
  void share(Connection c, String boardId) throws SQLException {
    if (TeamLogSql.latestSeq(c, boardId) > 0) {
      return;
    }
    append(c, boardId, events.opened(c, boardId));
    for (Member member : BoardSql.members(c, boardId)) {
      append(c, boardId, events.invited(c, boardId, member.userId()));
      if (member.active()) {
        append(c, boardId, events.member(c, boardId, member.userId(), member.userId()));
      }
    }
    for (String postId : ids(c, "select id from posts where board_id = ? order by seq", boardId)) {
      append(c, boardId, events.post(c, postId));
      for (String commentId : ids(c, "select id from comments where post_id = ? order by created_at, id", postId)) {
        append(c, boardId, events.comment(c, commentId));
      }
      List<String[]> reads = new ArrayList<>();
      PostDetailsSql.query(c, "select user_id, read_at from post_reads where post_id = ? order by read_at",
          List.of(postId), rs -> reads.add(new String[] {rs.getString(1), rs.getString(2)}));
      for (String[] read : reads) {
        append(c, boardId, events.read(c, read[0], List.of(postId), read[1]));
      }
      if (PostSql.byId(c, postId).deleted()) {
        append(c, boardId, events.deleted(c, postId));
      }
    }
  }

  private static List<String> ids(Connection c, String sql, String param) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, param);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  private String now() {
    return clock.instant().toString();
  }
}
