package jp.tsunagu.node.feature;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A feature's records on a care board, as the team events that bring a partner's copy to their
 * current state: what a partner professional's node receives of what was recorded before the team
 * was first shared with a partner. Team sync asks for it once the board's posts are in the log, and
 * writes the records' events a few records per transaction (see {@code TeamLog}), each event signed
 * and sequenced as a home-made event of the type, so the receiving node checks and applies it as any
 * other event of the type; it must therefore apply an event whose effect it already has as nothing.
 *
 * <p>Only records made by this node's own professionals are asked for: a record made by a partner's
 * professional reached the log in her node's own signed words when it was made.
 */
public interface BoardHistory {

  /** A short stable name, kept with the records still to be written (e.g. {@code vaccination.doses}). */
  String name();

  /** The ids of the board's records, oldest first; listed once, when the posts are in the log. */
  List<String> records(Connection c, String boardId) throws SQLException;

  /**
   * The events of one record as it stands now, in order (e.g. the dose as first recorded, then each
   * correction); none if the record is gone or no longer of the board.
   */
  List<Event> events(Connection c, String boardId, String recordId) throws SQLException;

  /**
   * One event as its feature records a write: {@code targets} the board's objects it names after the
   * board (as the type's {@link TeamEventType.Named} says), {@code data} with its {@code author}.
   */
  record Event(String type, List<String> targets, JsonObject data) {}
}
