package jp.tsunagu.node.vaccination;

import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;

/**
 * A dose recorded for a patient whose team spans nodes: team event {@value #TYPE}, made by the node
 * of the member who recorded it (the home node for its own members, sequenced at once; a partner for
 * its members, submitted to the home node). Its data: {@code author} (profile), {@code dose} (every
 * field of {@link Dose}), {@code vaccineName}, {@code noticeId} (the timeline notice) and
 * {@code recordedAt}; its one named object is the dose's id, new on every node.
 *
 * <p>What a receiving node checks beyond what team sync checks of every event (signatures, the board
 * it was sent for, an author of the signing node, the care-team scope):
 * <ul>
 *   <li>the home node (a submission): the dose is of this board ({@code sync.event_malformed}); the
 *   author is an active member of the patient's team now ({@code sync.not_a_member}); the record is
 *   open ({@code vaccination.patient_archived}); the dose's fields as the form checks them (the same
 *   codes: {@code vaccination.bad_lot_number}, {@code vaccination.observation_ended_before_start}, …)
 *   and against the home node's tables as a dose recorded there ({@code vaccination.unknown_vaccine},
 *   {@code vaccination.date_in_future}, {@code vaccination.date_before_birth},
 *   {@code vaccination.dose_out_of_order}); the notice's id is new. A vaccine on the partner's list
 *   only is kept as the partner defined it (see {@link #partnersVaccine}), not refused. Then it stores the dose (who: the
 *   partner's professional), audits it and writes the notice; the sequenced event carries both to
 *   the team's other nodes.
 *   <li>a member node (sequenced by the home): the dose's id is new; the dose and its notice are
 *   written as the home node accepted them (a vaccine the home's 行政 added joins this node's list).
 * </ul>
 */
final class DoseEvents {

  static final String TYPE = "vaccination.dose.recorded";

  private final TimelineNotices notices;
  private final PatientAccess patients;
  private final AuditLog audit;
  private final Clock clock;

  DoseEvents(TimelineNotices notices, PatientAccess patients, AuditLog audit, Clock clock) {
    this.notices = notices;
    this.patients = patients;
    this.audit = audit;
    this.clock = clock;
  }

  static JsonObject data(JsonObject author, Dose dose, String vaccineName, String noticeId, Instant at) {
    return new JsonObject().put("author", author).put("dose", dose.toJson()).put("vaccineName", vaccineName)
        .put("noticeId", noticeId).put("recordedAt", at.toString());
  }

  TeamEventType type() {
    return new TeamEventType(TYPE, Origin.MEMBER_NODE, data -> List.of(requireText(object(data, "dose"), "id")),
        this::doseIsNew, (c, event, arrival) -> arrival == Arrival.SUBMITTED ? atHome(c, event) : onReplica(c, event));
  }

  /**
   * The dose is new here; on a copy it may also be held already, of this board (the home node's
   * history of a board carries the doses recorded before this node joined): the event then changes
   * nothing. The home node refuses a partner's dose it holds, whatever it says.
   */
  private void doseIsNew(Connection c, String boardId, Event event) throws SQLException {
    Optional<DoseSql.Stored> held = DoseSql.byId(c, event.targets().get(1));
    if (held.isPresent() && !(notices.replica(c, boardId) && held.get().patientId().equals(boardId))) {
      throw new SyncRejection("sync.object_exists", "dose " + event.targets().get(1) + " already exists");
    }
  }

  /** What the event says, shaped as the form is (a refusal names what is wrong). */
  private record Content(JsonObject author, Dose dose, String noticeId, Instant at) {

    static Content of(Event event, String boardId) {
      JsonObject data = new JsonObject(event.data());
      JsonObject dose = object(data, "dose");
      if (!boardId.equals(dose.getValue("patientId"))) {
        throw SyncRejection.malformed("the dose is not of board " + boardId);
      }
      try {
        return new Content(object(data, "author"), DoseInput.of(dose, requireText(dose, "id"), boardId),
            requireText(data, "noticeId"), Instant.parse(requireText(data, "recordedAt")));
      } catch (DateTimeParseException e) {
        throw SyncRejection.malformed("recordedAt is not a time");
      }
    }
  }

  private List<LiveNotice> atHome(Connection c, Event event) throws SQLException {
    String boardId = event.targets().get(0);
    Content content = Content.of(event, boardId);
    String author = notices.localUser(c, requireText(content.author(), "id"), content.author());
    if (!notices.activeMember(c, boardId, author)) {
      throw new SyncRejection("sync.not_a_member", author + " is not a member of board " + boardId + " now");
    }
    if (!notices.open(c, boardId)) {
      throw new SyncRejection("vaccination.patient_archived", "the patient's record is archived");
    }
    PatientAccess.Known patient = patients.known(c, boardId)
        .orElseThrow(() -> new SyncRejection("sync.board_unknown", "no patient " + boardId));
    partnersVaccine(c, content.dose().vaccine(), new JsonObject(event.data()), event.origin());
    try {
      DoseRules.check(c, content.dose(), patient.birthDate(), Instant.now(clock), Optional.empty());
    } catch (SyncRejection e) {
      throw e;
    } catch (CodedException e) {
      throw new SyncRejection(e.code(), e.getMessage());
    }
    if (notices.postExists(c, content.noticeId())) {
      throw new SyncRejection("sync.object_exists", "post " + content.noticeId() + " already exists");
    }
    write(c, event, boardId, content, author);
    audit.append(c, AuditEvent.success(author, "vaccination.dose.recorded", "patient:" + boardId,
        new JsonObject().put("dose", content.dose().id()).put("origin", event.origin()).put("event", event.id())));
    return List.of(new LiveNotice(boardId, TimelineNotices.liveEvent(content.noticeId())));
  }

  private List<LiveNotice> onReplica(Connection c, Event event) throws SQLException {
    String boardId = event.targets().get(0);
    Content content = Content.of(event, boardId);
    if (DoseSql.exists(c, content.dose().id())) {
      return List.of(); // held already (checked to be of this board): the copy has what the event says
    }
    if (!event.origin().equals(event.home())) {
      partnersVaccine(c, content.dose().vaccine(), new JsonObject(event.data()), event.origin());
    }
    learnVaccine(c, content.dose().vaccine(), new JsonObject(event.data()));
    String author = notices.localUser(c, requireText(content.author(), "id"), content.author());
    boolean written = write(c, event, boardId, content, author);
    return written ? List.of(new LiveNotice(boardId, TimelineNotices.liveEvent(content.noticeId()))) : List.of();
  }

  /**
   * A vaccine on the partner's list only (its 行政 added it there): kept here as the partner defined
   * it, its code and the name the event carries ({@code vaccineName}), so the dose is stored, shown
   * with the partner's name and counted; it does not join the list this node's own staff choose from.
   * A name that is empty or too long is refused ({@code vaccination.unknown_vaccine}).
   */
  private void partnersVaccine(Connection c, String code, JsonObject data, String partner) throws SQLException {
    if (VaccineSql.byCode(c, code).isPresent()) {
      return;
    }
    String name = data.getValue("vaccineName") instanceof String n ? n.strip() : "";
    if (name.isEmpty() || name.length() > Vaccines.NAME_MAX || code.isBlank() || code.length() > 40) {
      throw new SyncRejection("vaccination.unknown_vaccine", "vaccine " + code + " comes without a usable definition");
    }
    VaccineSql.Vaccine kept = VaccineSql.insertPartners(c, code, name, partner, clock.instant().toString());
    audit.append(c, AuditEvent.success("node:" + partner, "vaccination.vaccine.partner_defined",
        "vaccination:vaccine:" + code, new JsonObject().put("name", kept.nameJa()).put("partner", partner)));
  }

  /**
   * A vaccine the home node's 行政 added to its list and this node does not know yet joins this
   * node's list under the home's code (the home node checked it), so the dose can be shown and counted.
   */
  private void learnVaccine(Connection c, String code, JsonObject data) throws SQLException {
    if (VaccineSql.byCode(c, code).isPresent()) {
      return;
    }
    String name = data.getValue("vaccineName") instanceof String n && !n.isBlank() && n.length() <= Vaccines.NAME_MAX
        ? n.strip() : code;
    VaccineSql.insert(c, new VaccineSql.Vaccine(code, VaccineSql.nameTaken(c, name) ? name + "（" + code + "）" : name),
        null, clock.instant().toString());
  }

  /** The dose and, unless it came already as a team post, its notice; returns whether the notice is new here. */
  private boolean write(Connection c, Event event, String boardId, Content content, String author)
      throws SQLException {
    String vaccineName = VaccineSql.byCode(c, content.dose().vaccine()).map(VaccineSql.Vaccine::nameJa)
        .orElse(content.dose().vaccine());
    boolean written = notices.postCarried(c, boardId, content.noticeId(), author, content.author(),
        DoseNotice.body(content.dose(), vaccineName, content.author(), false), content.at().toString());
    DoseSql.insert(c, content.dose(), content.noticeId(), author, content.at().toString(), event.origin());
    Plans.doseGiven(c, content.dose(), author, content.at().toString());
    return written;
  }
}
