package jp.tsunagu.node.teamsync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.feature.BoardHistory;
import jp.tsunagu.node.feature.TeamEventType;

/**
 * The team event types this node's features declare, by name: what team sync accepts from partners;
 * and the features' board histories, what a board's first sharing writes after its posts.
 * Built once from the features when the node is assembled; a type declared twice is a programming
 * error found at start.
 */
public final class TeamEventTypes {

  private final Map<String, TeamEventType> byName;
  private final Map<String, BoardHistory> histories;

  /** Types without board histories (every board's history is then its posts alone). */
  public TeamEventTypes(List<TeamEventType> declared) {
    this(declared, List.of());
  }

  /**
   * @param histories the features' records of a board as events of their types, for the first sharing
   *     of a board; a name declared twice is a programming error found at start
   */
  public TeamEventTypes(List<TeamEventType> declared, List<BoardHistory> histories) {
    Map<String, TeamEventType> types = new LinkedHashMap<>();
    for (TeamEventType type : declared) {
      if (types.putIfAbsent(type.type(), type) != null) {
        throw new IllegalStateException("team event type " + type.type() + " is declared twice");
      }
    }
    this.byName = Map.copyOf(types);
    Map<String, BoardHistory> byHistory = new LinkedHashMap<>();
    for (BoardHistory history : histories) {
      if (byHistory.putIfAbsent(history.name(), history) != null) {
        throw new IllegalStateException("board history " + history.name() + " is declared twice");
      }
    }
    this.histories = java.util.Collections.unmodifiableMap(byHistory);
  }

  /** The features' board histories, by name, in the order the features were built. */
  Map<String, BoardHistory> histories() {
    return histories;
  }

  /** The declared type of an event, or the refusal {@code sync.type_unknown}. */
  TeamEventType of(Event event) {
    TeamEventType type = byName.get(event.type());
    if (type == null) {
      throw new SyncRejection("sync.type_unknown", "unknown event type " + event.type());
    }
    return type;
  }

  /** The declared type of that name, if a feature declares it (a settled write of this node's own). */
  Optional<TeamEventType> declared(String type) {
    return Optional.ofNullable(byName.get(type));
  }

  Set<String> names() {
    return byName.keySet();
  }
}
