package jp.tsunagu.node.teamsync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The countersigned envelopes of boards homed here, from the moment they are signed, for the push that
 * follows: a home node sends them to its partners while the signatures' commit runs instead of reading
 * them back from the log after it (see {@link EventSigner#onSigned}). Only the most recent are kept; a push
 * that finds its run missing here reads the log as before.
 */
final class SignedRecently {

  /** Envelopes kept at most, over every board (a few seconds of a busy node, a few MB). */
  static final int CAPACITY = 2_048;

  private final Map<String, NavigableMap<Long, String>> byBoard = new HashMap<>();
  private final ArrayDeque<TeamLogSql.Signed> oldestFirst = new ArrayDeque<>();

  synchronized void add(List<TeamLogSql.Signed> signed) {
    for (TeamLogSql.Signed event : signed) {
      if (byBoard.computeIfAbsent(event.boardId(), b -> new TreeMap<>()).put(event.seq(), event.envelope()) == null) {
        oldestFirst.addLast(event);
      }
    }
    while (oldestFirst.size() > CAPACITY) {
      TeamLogSql.Signed gone = oldestFirst.removeFirst();
      NavigableMap<Long, String> board = byBoard.get(gone.boardId());
      board.remove(gone.seq());
      if (board.isEmpty()) {
        byBoard.remove(gone.boardId());
      }
    }
  }

  /** The highest seq of a board kept here, 0 when none is. */
  synchronized long head(String boardId) {
    NavigableMap<Long, String> board = byBoard.get(boardId);
    return board == null ? 0 : board.lastKey();
  }

  /**
   * The envelopes of seqs after+1, after+2, ... without a gap, none past {@code upTo}, at most {@code limit};
   * empty when after+1 is not kept (a partner never gets a page that does not follow what it holds).
   */
  synchronized List<String> run(String boardId, long after, long upTo, int limit) {
    NavigableMap<Long, String> board = byBoard.get(boardId);
    List<String> run = new ArrayList<>();
    if (board == null) {
      return run;
    }
    for (long seq = after + 1; seq <= upTo && run.size() < limit; seq++) {
      String envelope = board.get(seq);
      if (envelope == null) {
        break;
      }
      run.add(envelope);
    }
    return run;
  }
}
