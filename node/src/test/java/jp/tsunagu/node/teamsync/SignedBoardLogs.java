package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.node.TsunaguNode;

/**
 * A board's team log as a node holds it, read the way the signing tests check it: its head, its envelopes,
 * what waits unsigned or unanswered, and whether two nodes hold the same log, signed, without a gap.
 */
final class SignedBoardLogs {

  private SignedBoardLogs() {}

  /**
   * Both logs hold seqs 1 to {@code head} and the same envelopes; each verifies as countersigned by the home
   * node (and signed by its origin) and names its own seq.
   */
  static void assertVerifiedWithoutGaps(TsunaguNode home, TsunaguNode partner, String boardId, long head) {
    List<String> atHome = envelopes(home, boardId);
    assertThat(envelopes(partner, boardId)).isEqualTo(atHome);
    assertThat(atHome).hasSize((int) head);
    var trust = partner.feature(TeamSyncFeature.class).sync().trustStore();
    for (int i = 0; i < atHome.size(); i++) {
      SequencedEvent event = EventEnvelope.verifyCountersigned(atHome.get(i), trust);
      assertThat(event.sequence()).isEqualTo(i + 1);
      assertThat(event.origin().event().targets().get(0)).isEqualTo(boardId);
    }
  }

  /** The board's log, in seq order. */
  static List<String> envelopes(TsunaguNode node, String boardId) {
    return envelopes(node, "select envelope from team_events where board_id = ? order by seq", boardId);
  }

  /** The board's writes in the node's outbox, in the order they were written. */
  static List<String> outboxEnvelopes(TsunaguNode node, String boardId) {
    return envelopes(node, "select envelope from sync_outbox where board_id = ? order by created_at, rowid", boardId);
  }

  private static List<String> envelopes(TsunaguNode node, String sql, String boardId) {
    return node.services().database().submitRead(c -> {
      List<String> envelopes = new ArrayList<>();
      try (var s = c.prepareStatement(sql)) {
        s.setString(1, boardId);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            envelopes.add(rs.getString(1));
          }
        }
      }
      return envelopes;
    }).join();
  }

  static long head(TsunaguNode node, String boardId) {
    return node.services().database().submitRead(c -> TeamLogSql.latestSeq(c, boardId)).join();
  }

  /** The events the node sequenced and has not signed yet. */
  static long unsignedEvents(TsunaguNode node) {
    return CrossNodeTestbed.count(node, "select count(*) from team_events_unsigned where ? is not null", "x");
  }

  /** The writes to partners' boards the node queued and has not signed yet. */
  static long unsignedWrites(TsunaguNode node) {
    return CrossNodeTestbed.count(node, "select count(*) from sync_outbox_unsigned where ? is not null", "x");
  }

  /** The writes to partners' boards not answered yet. */
  static long waitingInOutbox(TsunaguNode node) {
    return node.services().database().submitRead(OutboxSql::outboxWaiting).join();
  }

  static TeamSync team(TsunaguNode node) {
    return node.feature(TeamSyncFeature.class).team();
  }

  static String posts(String patientId) {
    return "/api/v1/patients/" + patientId + "/posts";
  }
}
