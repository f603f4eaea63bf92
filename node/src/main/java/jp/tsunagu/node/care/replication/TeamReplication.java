package jp.tsunagu.node.care.replication;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Predicate;
import jp.tsunagu.node.care.teams.Places;

/**
 * What the care feature asks of team replication when its members write: the few hooks it needs,
 * so that care itself knows nothing of partners, signatures or sync. The team sync feature provides
 * it; a node without partners still has it (nothing is shared until a partner's professional joins).
 */
public interface TeamReplication {

  /** Event-bus address told the id of every board that changed (after commit), for prompt replication. */
  String BOARD_CHANGED = "tsunagu.care.board-changed";

  /**
   * Records what a local member just did on a board, inside the write's transaction: on a board
   * shared with partners it becomes a signed team event, on a copy of a partner's board it waits
   * for the home node. A board that takes part in no sharing records nothing.
   */
  void record(Connection c, String boardId, Drafting draft) throws SQLException;

  /**
   * An SQL condition, its one parameter a board's id, true when the board takes part in sharing: when
   * {@link #record} would record anything for a write on it (a copy of a partner's board, or a board
   * homed here with a team log). A write that reads it in its own checks and finds it false leaves
   * {@code record} out: one statement fewer on the busiest write, the same outcome.
   */
  String takesPartInSharing();

  /**
   * How to make a write's team event, asked only on a board that takes part in sharing: most
   * boards never do, and making the event reads again what the write just stored.
   */
  @FunctionalInterface
  interface Drafting {
    TeamEvents.Draft draft(Connection c) throws SQLException;
  }

  /** Starts sharing a board homed here with partners (its first partner's professional was invited). */
  void share(Connection c, String boardId) throws SQLException;

  /** Whether a node shares an active agreement with the care-team scope with this one now. */
  Predicate<String> careTeamPartner();

  /** A partner's professional as their own node last described them, as a shadow profile; null if unknown. */
  JsonObject partnerProfile(String federatedId);

  /** Where people of a node are: the municipalities of this node or of a partner. */
  Places places();
}
