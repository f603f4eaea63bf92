package jp.tsunagu.node.teamsync;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.node.care.replication.EventFields;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Origin;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;

/**
 * What a receiving node checks before a partner's team event may touch its data, whichever way the
 * event came: a submission to a board homed here, or an event the home node sequenced and pushed or
 * this node pulled. Signatures, the sender's pin and the agreement's scope are checked before this
 * (the envelope and the listener); here the content is held to what the signing node may say:
 * <ul>
 *   <li>the board the event acts on is the board it was sent for, and every post, comment and
 *   attachment it names is of that board (a new one exists nowhere yet);
 *   <li>its author is a professional of the node that signed it (the home node sequences, it does
 *   not speak for others' professionals);
 *   <li>the board and the patient's details are the home node's to state;
 *   <li>this node's own professionals join, decline and leave only by their own word, which this
 *   node itself signed: a partner can invite them, never make them members.
 * </ul>
 * The protocol's README lists the same, event type by event type. Every refusal throws a
 * {@link SyncRejection} with a stable code; the caller's transaction then leaves nothing behind.
 */
final class IncomingEventPolicy {

  private final String localNode;
  private final TeamEventTypes types;

  IncomingEventPolicy(String localNode, TeamEventTypes types) {
    this.localNode = localNode;
    this.types = types;
  }

  /**
   * A partner's submission to a board homed here, before anything is fetched or written: sent for
   * the board it acts on, of a type partners may submit, by a professional of the signing node.
   */
  void checkSubmission(Event event, String pathBoardId) {
    if (!event.targets().get(0).equals(pathBoardId)) {
      throw new SyncRejection("envelope.id_mismatch", "the event acts on board " + event.targets().get(0)
          + ", not on " + pathBoardId);
    }
    checkShape(event);
    if (types.of(event).origin() == Origin.HOME_NODE) {
      throw new SyncRejection("sync.type_not_allowed", event.type() + " is made by the home node only");
    }
  }

  /**
   * An event the home node sequenced, for this node's replica of {@code boardId}. The board must be
   * held here already (an invitation of one of this node's professionals created it) and be homed
   * at the node that countersigned the event.
   */
  void checkSequenced(Connection c, String boardId, Event event) throws SQLException {
    if (!event.targets().get(0).equals(boardId)) {
      throw new SyncRejection("envelope.id_mismatch", "event " + event.id() + " is not for board " + boardId);
    }
    checkShape(event);
    Optional<TeamLogSql.BoardHome> board = TeamLogSql.board(c, boardId);
    if (board.isEmpty()) {
      throw new SyncRejection("sync.board_not_shared", "no professional of this node was invited to board " + boardId);
    }
    if (!board.get().homeNode().map(event.home()::equals).orElse(false)) {
      throw new SyncRejection("sync.not_home_node", event.home() + " is not the home node of board " + boardId);
    }
    if (types.of(event).origin() == Origin.HOME_NODE && !event.origin().equals(event.home())) {
      throw new SyncRejection("sync.type_not_allowed", event.type() + " is made by the home node only");
    }
    checkLocalMembership(event);
  }

  /**
   * A node asking for this node's copy of a board's events (to take back what it lost by a restore)
   * must be the board's home node, and the board a live replica here: the log is the home node's own
   * words, handed back to no one else. Anyone else learns nothing, not even that the board exists.
   */
  void checkReplicaReader(Connection c, String boardId, String caller) throws SQLException {
    boolean home = TeamLogSql.board(c, boardId)
        .filter(b -> b.homeNode().map(caller::equals).orElse(false) && "live".equals(b.replicaState()))
        .isPresent();
    if (!home) {
      throw jp.tsunagu.node.errors.CodedException.notFound("sync.board_unknown", "no such board");
    }
  }

  /** The objects an event names, checked against this node's tables by the feature that declares its type. */
  void checkObjects(Connection c, String boardId, Event event) throws SQLException {
    types.of(event).objects().check(c, boardId, event);
  }

  /** What needs no table: a known type, an author of the signing node, the ids the data names in the targets. */
  private void checkShape(Event event) {
    TeamEventType type = types.of(event);
    JsonObject data = new JsonObject(event.data());
    checkText(data);
    String author = EventFields.requireText(EventFields.object(data, "author"), "id");
    if (!FederatedId.tryParse(author).map(id -> id.node().equals(event.origin())).orElse(false)) {
      throw new SyncRejection("sync.author_not_origin", author + " is not a professional of " + event.origin());
    }
    if (!event.targets().subList(1, event.targets().size()).equals(type.named().ids(data))) {
      throw new SyncRejection("envelope.id_mismatch", "the event's targets are not the objects it names");
    }
  }

  /** Rules of the node's text policy for what an event carries (lengths are each field's own check). */
  private static final TextRule EVENT_TEXT = TextRule.lines("event", "連携先からの内容", Integer.MAX_VALUE);

  /**
   * Every text an event carries, keys too, is held to the characters the node's own screens accept
   * (no control or format characters, no lone surrogates): what a partner's node writes is shown
   * here as if typed here.
   */
  static void checkText(Object value) {
    try {
      if (value instanceof String text) {
        TextPolicy.normalise(text, EVENT_TEXT);
      } else if (value instanceof JsonObject object) {
        for (var entry : object) {
          TextPolicy.normalise(entry.getKey(), EVENT_TEXT);
          checkText(entry.getValue());
        }
      } else if (value instanceof JsonArray array) {
        array.forEach(IncomingEventPolicy::checkText);
      }
    } catch (SyncRejection e) {
      throw e;
    } catch (jp.tsunagu.node.errors.CodedException e) {
      throw new SyncRejection("sync.text_invalid", "the event carries text the node does not accept: " + e.code());
    }
  }

  /**
   * This node's professionals answer an invitation and leave by their own word (signed by this node).
   * The home node may remove them; nobody may make them members for them.
   */
  private void checkLocalMembership(Event event) {
    if (!event.type().equals(TeamEvents.MEMBER) || event.origin().equals(localNode)) {
      return;
    }
    JsonObject data = new JsonObject(event.data());
    String member = EventFields.requireText(data, "member");
    boolean local = FederatedId.tryParse(member).map(id -> id.node().equals(localNode)).orElse(false);
    if (local && !"removed".equals(data.getString("status"))) {
      throw new SyncRejection("sync.consent_required", member + " joins, declines or leaves by their own word only");
    }
  }
}
