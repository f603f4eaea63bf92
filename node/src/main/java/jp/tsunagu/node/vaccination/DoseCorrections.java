package jp.tsunagu.node.vaccination;

import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;

/**
 * A corrected dose on a shared team: team event {@value #TYPE}, made by the patient's home node only
 * (corrections are made there, where the dose was checked), so the partners' copies show the same
 * current version and keep the same versions. Its data: {@code author} (profile), {@code dose} (every
 * field of the new version), {@code version} and {@code correctedAt}; its one named object is the
 * dose's id. The notice of the correction travels as the team post it is.
 *
 * <p>What a receiving node checks beyond what team sync checks of every event (signatures, the board,
 * the home node as its maker, the care-team scope): the dose, if this node holds it, is of this board
 * ({@code sync.object_exists}); the dose's fields as the form checks them; the version is a whole
 * number from 2 ({@code sync.event_malformed}); a version not above the one held changes nothing (the
 * board's history, see {@link DoseHistory}, may carry one the copy has). A partner's submission of this type is
 * refused by team sync ({@code sync.type_not_allowed}).
 */
final class DoseCorrections {

  static final String TYPE = "vaccination.dose.corrected";

  private final TimelineNotices notices;

  DoseCorrections(TimelineNotices notices) {
    this.notices = notices;
  }

  static JsonObject data(JsonObject author, Dose dose, int version, String at) {
    return new JsonObject().put("author", author).put("dose", dose.toJson()).put("version", version)
        .put("correctedAt", at);
  }

  TeamEventType type() {
    return new TeamEventType(TYPE, Origin.HOME_NODE, data -> List.of(requireText(object(data, "dose"), "id")),
        this::ofThisBoard, this::apply);
  }

  private void ofThisBoard(Connection c, String boardId, Event event) throws SQLException {
    Optional<DoseSql.Stored> held = DoseSql.byId(c, event.targets().get(1));
    if (held.isPresent() && !held.get().patientId().equals(boardId)) {
      throw new SyncRejection("sync.object_exists", "dose " + event.targets().get(1) + " is of another board");
    }
  }

  private List<LiveNotice> apply(Connection c, Event event, Arrival arrival) throws SQLException {
    String boardId = event.targets().get(0);
    JsonObject data = new JsonObject(event.data());
    JsonObject fields = object(data, "dose");
    if (!boardId.equals(fields.getValue("patientId"))) {
      throw SyncRejection.malformed("the dose is not of board " + boardId);
    }
    Dose dose = DoseInput.of(fields, requireText(fields, "id"), boardId);
    Object version = data.getValue("version");
    String at = requireText(data, "correctedAt");
    JsonObject author = object(data, "author");
    String by = notices.localUser(c, requireText(author, "id"), author);
    Optional<DoseSql.Stored> held = DoseSql.byId(c, dose.id());
    // A signed event's numbers arrive as the JSON reader makes them (a long for a whole number).
    int v = version instanceof Number n && n.doubleValue() == n.intValue() ? n.intValue() : 0;
    if (v < 2) {
      throw SyncRejection.malformed("the version is not a correction's");
    }
    if (held.map(h -> h.version() >= v).orElse(false)) {
      // This copy holds the version already (the board's history carried it, or the event came twice).
      return List.of();
    }
    if (held.isEmpty()) {
      // A dose recorded before this node joined the team: its correction brings it here.
      DoseSql.insert(c, dose, null, by, at, event.home());
    } else {
      DoseSql.correct(c, held.get(), dose, by, at);
    }
    DoseSql.setVersion(c, dose.id(), v, dose.toJson(), by, at);
    return List.of();
  }
}
