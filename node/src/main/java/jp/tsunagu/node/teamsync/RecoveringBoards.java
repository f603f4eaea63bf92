package jp.tsunagu.node.teamsync;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.node.errors.CodedException;

/**
 * The boards homed here whose log may be behind what a partner already holds, so that no new event
 * is given a sequence number a partner holds for another event. A node restored from an older
 * backup has a lower head than its partners have seen; until it has taken back the events they hold
 * (see {@link HomeRecovery}), {@link TeamLog} refuses to sequence on such a board with
 * {@code 503 sync.home_recovering}: a local write is not made (the writer sees the refusal and may
 * try again), a partner's submission stays in its outbox and is delivered later.
 *
 * <p>A board is held while a partner's claim of being ahead is not settled, and from start until
 * every partner receiving it has told its cursors (or could not be asked: a partner down does not
 * stop the home's team). What was refused during a recovery is kept for the operator. In memory only:
 * a start asks the partners again, which finds the same state.
 */
final class RecoveringBoards {

  /** A partner holds a board up to {@code partnerCursor}, above this node's head when it said so. */
  record Claim(String boardId, String partner, long partnerCursor, long head, Instant since) {}

  /** A partner whose events did not verify as this node's own: nothing of them was taken. */
  record Refusal(String boardId, String partner, String code, String reason, Instant at) {}

  /** A seq no partner could give back: recovery stopped before it. */
  record Gap(String boardId, long missingSeq, Instant at) {}

  /**
   * A partner answered a pushed event as {@code sync.seq_conflict}: it holds another event at that seq,
   * so this node gave the seq out twice (it was restored and did not hear of that partner in time).
   * Nothing settles this by itself: the operator is told.
   */
  record Fork(String boardId, String partner, long seq, Instant at) {}

  static final String RECOVERING = "sync.home_recovering";

  private volatile boolean startChecked;
  private final Map<String, Map<String, Claim>> claims = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> unconfirmed = new ConcurrentHashMap<>();
  private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();
  private final Map<String, Gap> gaps = new ConcurrentHashMap<>();
  private final Map<String, Fork> forks = new ConcurrentHashMap<>();

  /** Refuses to sequence on a held board (called inside the writing transaction). */
  void requireSequencing(String boardId) {
    if (!startChecked || held(boardId)) {
      // shown to the professional whose write this was (a partner's node reads the code)
      throw CodedException.unavailable(RECOVERING, "このチームの記録を連携先から復元しています。しばらくしてからもう一度"
          + "お試しください。");
    }
  }

  boolean held(String boardId) {
    return !claims.getOrDefault(boardId, Map.of()).isEmpty() || !unconfirmed.getOrDefault(boardId, Set.of()).isEmpty();
  }

  /**
   * Every board is held from the node's start until the start check has held those a partner receives:
   * the web listener is up before team sync has asked, and a write in between must not take a seq a
   * partner may hold.
   */
  void startChecked() {
    startChecked = true;
  }

  /** At start: the board is held until {@code partner} has told its cursor (or could not be asked). */
  void awaitPartner(String boardId, String partner) {
    unconfirmed.computeIfAbsent(boardId, b -> ConcurrentHashMap.newKeySet()).add(partner);
  }

  /** The partner answered the start check, or could not be asked: it no longer holds its boards. */
  void partnerChecked(String partner) {
    unconfirmed.values().forEach(partners -> partners.remove(partner));
    unconfirmed.values().removeIf(Set::isEmpty);
  }

  /** Records a partner ahead of this node's log; returns whether it is news (a recovery is to start). */
  boolean claim(Claim claim) {
    Map<String, Claim> byPartner = claims.computeIfAbsent(claim.boardId(), b -> new ConcurrentHashMap<>());
    Claim before = byPartner.get(claim.partner());
    if (before != null && before.partnerCursor() >= claim.partnerCursor()) {
      return false;
    }
    byPartner.put(claim.partner(), before == null ? claim
        : new Claim(claim.boardId(), claim.partner(), claim.partnerCursor(), claim.head(), before.since()));
    return true;
  }

  /** The partner's claim is settled (the log reached its cursor, or its events were refused). */
  void settle(String boardId, String partner) {
    Map<String, Claim> byPartner = claims.get(boardId);
    if (byPartner != null) {
      byPartner.remove(partner);
      if (byPartner.isEmpty()) {
        claims.remove(boardId, byPartner);
      }
    }
  }

  Optional<Claim> claimOf(String boardId, String partner) {
    return Optional.ofNullable(claims.getOrDefault(boardId, Map.of()).get(partner));
  }

  List<Claim> claims() {
    return claims.values().stream().flatMap(m -> m.values().stream()).toList();
  }

  void refused(Refusal refusal) {
    refusals.put(key(refusal.boardId(), refusal.partner()), refusal);
  }

  /** Whether this partner's events for the board were refused (its claim is not believed again until it changes). */
  boolean refusedFrom(String boardId, String partner) {
    return refusals.containsKey(key(boardId, partner));
  }

  /** Records a seq that could not be taken back; returns whether it is news (to warn once). */
  boolean gap(Gap gap) {
    Gap before = gaps.putIfAbsent(gap.boardId(), gap);
    if (before != null && before.missingSeq() != gap.missingSeq()) {
      gaps.put(gap.boardId(), gap);
      return true;
    }
    return before == null;
  }

  void gapClosed(String boardId) {
    gaps.remove(boardId);
  }

  /** Records a seq a partner holds another event at; returns whether it is news (to warn once). */
  boolean fork(Fork fork) {
    return forks.putIfAbsent(key(fork.boardId(), fork.partner()), fork) == null;
  }

  private static String key(String boardId, String partner) {
    return boardId + " " + partner;
  }

  /**
   * What the operator sees in {@code /health/ready} (never patient data: board ids, node names and
   * figures): boards held and why, refused recoveries, gaps. A warning, never a failure of readiness.
   */
  JsonObject report() {
    JsonObject report = new JsonObject();
    if (claims.isEmpty() && unconfirmed.isEmpty() && refusals.isEmpty() && gaps.isEmpty() && forks.isEmpty()) {
      return report;
    }
    if (!claims.isEmpty() || !refusals.isEmpty() || !gaps.isEmpty() || !forks.isEmpty()) {
      report.put("warning", "this node's log of some boards is behind what partners hold (restored from a backup?)");
    }
    report.put("partnersAhead", new JsonArray(claims().stream().map(c -> new JsonObject().put("board", c.boardId())
        .put("partner", c.partner()).put("partnerCursor", c.partnerCursor()).put("head", c.head())
        .put("since", c.since().toString())).toList()));
    report.put("awaitingPartners", new JsonArray(unconfirmed.entrySet().stream().map(e -> new JsonObject()
        .put("board", e.getKey()).put("partners", new JsonArray(List.copyOf(e.getValue())))).toList()));
    report.put("refused", new JsonArray(refusals.values().stream().map(r -> new JsonObject().put("board", r.boardId())
        .put("partner", r.partner()).put("code", r.code()).put("reason", r.reason()).put("at", r.at().toString()))
        .toList()));
    report.put("gaps", new JsonArray(gaps.values().stream().map(g -> new JsonObject().put("board", g.boardId())
        .put("missingSeq", g.missingSeq()).put("at", g.at().toString())).toList()));
    report.put("seqConflicts", new JsonArray(forks.values().stream().map(f -> new JsonObject()
        .put("board", f.boardId()).put("partner", f.partner()).put("seq", f.seq()).put("at", f.at().toString()))
        .toList()));
    return report;
  }
}
