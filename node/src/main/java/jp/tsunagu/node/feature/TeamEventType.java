package jp.tsunagu.node.feature;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import jp.tsunagu.federation.envelope.Event;

/**
 * One kind of team event a feature sends to the partners of a shared care team, and what a
 * receiving node does with it. Team sync checks what every event shares (signatures, the board, the
 * home node, the author's node, the agreement's scope) and then asks the declaring feature: which
 * objects the event names, whether they may be touched, and how to apply it. A type no feature
 * declares is refused ({@code sync.type_unknown}).
 *
 * @param type the event type on the wire, e.g. {@code care.post.created}
 * @param origin which node may make it
 * @param named the ids of the board's objects the data names, in order: an event's targets after the
 *     board must be exactly these (so a signature over the targets covers what the event touches)
 * @param objects checks, against this node's tables, that the objects named are of the board (or new)
 * @param applier writes the event to this node's tables, inside the receiving transaction
 * @param settler told, on the writing node, when the home node settles that node's own write of the
 *     type: what the feature showed as waiting (送信待ち) is then shown as sent or as refused
 */
public record TeamEventType(String type, Origin origin, Named named, ObjectCheck objects, Applier applier,
    Settler settler) {

  /** A type whose writes leave nothing of the feature's own waiting for the home node's answer. */
  public TeamEventType(String type, Origin origin, Named named, ObjectCheck objects, Applier applier) {
    this(type, origin, named, objects, applier, NOTHING_TO_SETTLE);
  }

  /** Which node may make events of a type. */
  public enum Origin {
    /** Only the board's home node (the board itself, the patient's details). */
    HOME_NODE,
    /** Any node with a member in the team, for that member. */
    MEMBER_NODE
  }

  /** How an event reached this node. */
  public enum Arrival {
    /** A partner's submission to a board homed here: membership and content are checked here. */
    SUBMITTED,
    /** An event the home node sequenced, for this node's copy of the board. */
    SEQUENCED
  }

  /** The ids an event's data names. */
  @FunctionalInterface
  public interface Named {
    List<String> ids(JsonObject data);
  }

  /** The check of the named objects against this node's tables; throws the refusal. */
  @FunctionalInterface
  public interface ObjectCheck {
    void check(Connection c, String boardId, Event event) throws SQLException;
  }

  /** Applies an event; returns what to tell live streams once the transaction has committed. */
  @FunctionalInterface
  public interface Applier {
    List<LiveNotice> apply(Connection c, Event event, Arrival arrival) throws SQLException;
  }

  /**
   * What the declaring feature does when the home node settles a write of this node's member, inside
   * the transaction that settles the outbox (team sync calls it; the feature needs no team sync code).
   */
  public interface Settler {

    /** The home node sequenced the event: it came back in the board's feed. */
    void accepted(Connection c, String boardId, Event event) throws SQLException;

    /** The home node refused the event for good, with its stable code. */
    void refused(Connection c, String boardId, Event event, String code) throws SQLException;
  }

  /** For types that show nothing as waiting for the home node. */
  public static final Settler NOTHING_TO_SETTLE = new Settler() {
    @Override
    public void accepted(Connection c, String boardId, Event event) {}

    @Override
    public void refused(Connection c, String boardId, Event event, String code) {}
  };

  /** A notice for the board's live streams, sent after the commit. */
  public record LiveNotice(String boardId, JsonObject event) {}

  /** For types that name no object of the board. */
  public static final Named NOTHING_NAMED = data -> List.of();

  /** For types whose named objects need no check against the tables. */
  public static final ObjectCheck NO_OBJECT_CHECK = (c, boardId, event) -> { };
}
