package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.Professionals;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.review.partner.PartnerReviewers;

/**
 * 合議体管理: the secretariat appoints 審査委員 (professionals, for a term, with the qualification they
 * serve under), forms panels with a chair (合議体長) and a deputy (副合議体長), and sees each member's load.
 */
final class Panels {

  /** The qualifications a 審査委員 serves under (保健・医療・福祉の学識経験者), as profession codes. */
  static final List<String> QUALIFICATIONS = List.of("doctor", "dentist", "pharmacist", "public_health_nurse", "nurse",
      "visiting_nurse", "midwife", "pt", "ot", "st", "dietitian", "dental_hygienist", "care_worker", "social_worker",
      "psychiatric_social_worker", "care_manager", "msw");
  static final List<String> POSITIONS = List.of("chair", "deputy", "member");
  private static final int LOAD_WEEKS = 4;

  private final NodeServices services;
  private final AuditLog audit;
  private final Professionals professionals;
  private final String nodeName;
  private final PartnerReviewers partners;

  Panels(NodeServices services, AuditLog audit, Professionals professionals, PartnerReviewers partners) {
    this.services = services;
    this.partners = partners;
    this.audit = audit;
    this.professionals = professionals;
    this.nodeName = services.config().node().name();
  }

  Future<JsonObject> appoint(String actor, JsonObject body) {
    String userId = ReviewInput.text(body, "userId");
    String qualification = ReviewInput.text(body, "qualification");
    if (!QUALIFICATIONS.contains(qualification)) {
      return Future.failedFuture(CodedException.invalid("review.invalid_qualification",
          "審査委員の資格を選んでください（医師・歯科医師・薬剤師・保健師・看護師・介護福祉士・社会福祉士など）。"));
    }
    LocalDate from = day(ReviewInput.text(body, "termFrom"));
    LocalDate to = day(ReviewInput.text(body, "termTo"));
    if (to.isBefore(from)) {
      return Future.failedFuture(CodedException.invalid("review.invalid_term", "任期の終わりが始まりより前です。"));
    }
    if (partners.names(body)) {
      // A professional of a partner node: stored as (her node, her user id) once the scope is granted.
      return partners.required(actor, body).compose(p -> store(actor, p.nodeId(), p.userId(), p.displayName(),
          qualification, from, to));
    }
    return professionals.find(userId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(CodedException.invalid("review.not_a_professional",
            "審査委員には、このネットワークの専門職を選んでください。"));
      }
      return store(actor, nodeName, userId, found.get().displayName(), qualification, from, to);
    });
  }

  private Future<JsonObject> store(String actor, String nodeId, String userId, String displayName,
      String qualification, LocalDate from, LocalDate to) {
    String now = now();
    return services.database().write(c -> {
      if (ReviewSql.activeAppointmentExists(c, nodeId, userId)) {
        throw CodedException.conflict("review.already_appointed", "この方はすでに審査委員に任命されています。");
      }
      ReviewSql.Appointment a = new ReviewSql.Appointment(ReviewIds.next(), nodeId, userId, displayName,
          qualification, from.toString(), to.toString(), null);
      ReviewSql.insertAppointment(c, a, actor, now);
      audit.append(c, AuditEvent.success(actor, "review.appointed", "review_appointment:" + a.id(),
          new JsonObject().put("node", nodeId).put("user", userId).put("qualification", qualification)));
      return appointmentJson(a);
    });
  }

  Future<JsonObject> endAppointment(String actor, String appointmentId) {
    String now = now();
    return services.database().write(c -> {
      if (ReviewSql.endAppointment(c, appointmentId, now) == 0) {
        throw CodedException.notFound("review.appointment_not_found", "審査委員の任命が見つかりません。");
      }
      audit.append(c, AuditEvent.success(actor, "review.appointment_ended", "review_appointment:" + appointmentId,
          null));
      return appointmentJson(ReviewSql.appointment(c, appointmentId).orElseThrow());
    });
  }

  Future<JsonObject> appointments() {
    return services.database().read(c -> {
      JsonArray out = new JsonArray();
      ReviewSql.appointments(c).forEach(a -> out.add(appointmentJson(a)));
      return new JsonObject().put("appointments", out).put("qualifications", qualifications());
    });
  }

  Future<JsonObject> createPanel(String actor, JsonObject body) {
    int number = ReviewInput.integer(body, "number", 1, 999, "review.invalid_panel", "合議体の番号を入力してください。");
    int quorum = body.getValue("quorum") == null ? 3
        : ReviewInput.integer(body, "quorum", 2, 20, "review.invalid_panel", "定足数は2〜20人です。");
    String name = ReviewInput.text(body, "name");
    String now = now();
    return services.database().write(c -> {
      if (ReviewSql.panelNumberTaken(c, number)) {
        throw CodedException.conflict("review.panel_number_taken", "この番号の合議体はすでにあります。");
      }
      ReviewSql.Panel panel = new ReviewSql.Panel(ReviewIds.next(), number, name.isEmpty() ? "第" + number + "合議体"
          : name, quorum);
      ReviewSql.insertPanel(c, panel, actor, now);
      audit.append(c, AuditEvent.success(actor, "review.panel_created", "review_panel:" + panel.id(),
          new JsonObject().put("number", number)));
      return panelJson(c, panel);
    });
  }

  /** Replaces a panel's members: each an appointment in force, one chair, at most one deputy. */
  Future<JsonObject> setMembers(String actor, String panelId, JsonObject body) {
    JsonArray given = body.getValue("members") instanceof JsonArray a ? a : null;
    if (given == null || given.isEmpty() || given.size() > 20) {
      return Future.failedFuture(CodedException.invalid("review.invalid_members", "委員を1〜20人選んでください。"));
    }
    String now = now();
    return services.database().write(c -> {
      ReviewSql.Panel panel = ReviewSql.panel(c, panelId).orElseThrow(() -> CodedException.notFound(
          "review.panel_not_found", "合議体が見つかりません。"));
      List<ReviewSql.Member> members = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Object o : given) {
        JsonObject m = o instanceof JsonObject j ? j : new JsonObject();
        String position = ReviewInput.text(m, "position");
        ReviewSql.Appointment a = ReviewSql.appointment(c, ReviewInput.text(m, "appointmentId"))
            .filter(x -> x.endedAt() == null).orElseThrow(() -> CodedException.invalid("review.unknown_appointment",
                "任命されていない方は委員にできません。"));
        if (!POSITIONS.contains(position) || !seen.add(a.id())) {
          throw CodedException.invalid("review.invalid_members", "委員の役割（合議体長・副合議体長・委員）を確認してください。");
        }
        members.add(new ReviewSql.Member(panelId, a, position));
      }
      if (members.stream().filter(m -> m.position().equals("chair")).count() != 1
          || members.stream().filter(m -> m.position().equals("deputy")).count() > 1) {
        throw CodedException.invalid("review.one_chair", "合議体長を1人、副合議体長を1人まで選んでください。");
      }
      ReviewSql.replaceMembers(c, panelId, members, now);
      audit.append(c, AuditEvent.success(actor, "review.panel_members_set", "review_panel:" + panelId,
          new JsonObject().put("members", members.size())));
      return panelJson(c, panel);
    });
  }

  Future<JsonObject> panels() {
    return services.database().read(c -> {
      JsonArray out = new JsonArray();
      for (ReviewSql.Panel p : ReviewSql.panels(c)) {
        out.add(panelJson(c, p));
      }
      return new JsonObject().put("panels", out);
    });
  }

  private JsonObject panelJson(java.sql.Connection c, ReviewSql.Panel p) throws java.sql.SQLException {
    Instant now = Instant.now(services.clock());
    String to = now.plus(java.time.Duration.ofDays(7L * LOAD_WEEKS)).toString();
    JsonArray members = new JsonArray();
    for (ReviewSql.Member m : ReviewSql.members(c, p.id())) {
      members.add(appointmentJson(m.appointment()).put("position", m.position())
          .put("positionLabel", positionLabel(m.position()))
          .put("load", ReviewSql.load(c, m.appointment().id(), now.toString(), to)));
    }
    return new JsonObject().put("id", p.id()).put("number", p.number()).put("name", p.name())
        .put("quorum", p.quorum()).put("members", members).put("belowQuorum", members.size() < p.quorum())
        .put("loadWeeks", LOAD_WEEKS);
  }

  static String positionLabel(String position) {
    return switch (position) {
      case "chair" -> "合議体長";
      case "deputy" -> "副合議体長";
      default -> "委員";
    };
  }

  static JsonObject appointmentJson(ReviewSql.Appointment a) {
    return new JsonObject().put("id", a.id()).put("nodeId", a.nodeId()).put("userId", a.userId())
        .put("name", a.displayName()).put("qualification", a.qualification())
        .put("qualificationLabel", qualificationLabel(a.qualification())).put("termFrom", a.termFrom())
        .put("termTo", a.termTo()).put("active", a.endedAt() == null);
  }

  static String qualificationLabel(String code) {
    return ReferenceData.get().profession(code).map(ReferenceData.Profession::nameJa).orElse(code);
  }

  private static JsonArray qualifications() {
    JsonArray out = new JsonArray();
    QUALIFICATIONS.forEach(q -> out.add(new JsonObject().put("code", q).put("label", qualificationLabel(q))));
    return out;
  }

  private static LocalDate day(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw CodedException.invalid("review.invalid_term", "任期を YYYY-MM-DD で入力してください。");
    }
  }

  private String now() {
    return Instant.now(services.clock()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
