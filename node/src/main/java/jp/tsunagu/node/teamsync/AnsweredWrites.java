package jp.tsunagu.node.teamsync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's writes its home node accepted, as a member node keeps them between the home node's answer and
 * their outbox rows' settlement. The home node pushes each accepted write back countersigned to this node's
 * replica, and the replica's apply settles the write's outbox row in its own transaction; settling it again
 * on the answer was a commit (an fsync) a write that changed nothing once the apply had come first, and
 * whichever came first, one of the two commits was spare. So an answered write waits here until an apply
 * holds it, or until the sweep settles those no apply took (a board this node no longer receives, an
 * invitation declined); an apply that came before the answer is remembered, so the answer writes nothing.
 * A node stopped meanwhile finds the row pending and submits it again, which its home node answers from
 * what it stored (a repeat, as after any lost answer). Used from any thread.
 */
final class AnsweredWrites {

  /** Own writes known settled lately (applied by the replica, or written here), kept this many. */
  private static final int SETTLED_KEPT = 4_096;

  /** Event id to the write and the sweep count when it was answered, in order of answer. */
  private final Map<String, Answered> waiting = new LinkedHashMap<>();
  /**
   * Own writes settled lately: an apply before the answer leaves the answer nothing to do, and an outbox read
   * made before the settlement's commit, answered after it, must not send them again (a repeat).
   */
  private final Map<String, Boolean> settled = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > SETTLED_KEPT;
    }
  };

  private record Answered(TeamSync.Outgoing write, long sweep) {}

  /** The home node accepted these writes (at sweep {@code sweep}); those an apply settled already are done. */
  synchronized void accepted(Collection<TeamSync.Outgoing> writes, long sweep) {
    for (TeamSync.Outgoing write : writes) {
      if (!settled.containsKey(write.eventId())) {
        waiting.put(write.eventId(), new Answered(write, sweep));
      }
    }
  }

  /** The replica's apply holds these writes of this node: their outbox rows are settled. */
  synchronized void applied(Collection<String> eventIds) {
    eventIds.forEach(this::settledNow);
  }

  /** The writes answered at sweep {@code upTo} or before that no apply settled: to settle now. */
  synchronized List<TeamSync.Outgoing> due(long upTo) {
    List<TeamSync.Outgoing> due = new ArrayList<>();
    for (Answered answered : waiting.values()) {
      if (answered.sweep() <= upTo) {
        due.add(answered.write());
      }
    }
    return due;
  }

  /** These writes' outbox rows are written settled (they stay waiting until then). */
  synchronized void written(Collection<TeamSync.Outgoing> writes) {
    writes.forEach(write -> settledNow(write.eventId()));
  }

  private void settledNow(String eventId) {
    waiting.remove(eventId);
    settled.put(eventId, Boolean.TRUE);
  }

  /** The writes of an outbox read that were not accepted already (answered, or settled since the read began). */
  synchronized List<TeamSync.Outgoing> notAnswered(List<TeamSync.Outgoing> read) {
    return read.stream().filter(write -> !waiting.containsKey(write.eventId())
        && !settled.containsKey(write.eventId())).toList();
  }
}
