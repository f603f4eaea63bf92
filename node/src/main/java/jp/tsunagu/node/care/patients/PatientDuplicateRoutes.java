package jp.tsunagu.node.care.patients;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;

/**
 * 重複の可能性がある登録, for municipal staff (行政), who see the node's patients: the open pairs of a
 * new registration and a patient registered before with the same name and birth date, and their
 * resolution. 「同じ方として招待」 invites the registrant into the existing patient's team with the role she
 * chose and archives her new record; 「別の方」 dismisses the pair. Nothing is merged. Every list and
 * decision is audited.
 */
public final class PatientDuplicateRoutes implements RouteSet {

  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);
  private static final String BASE = "/municipal/patient-duplicates";

  private final CareContext care;

  public PatientDuplicateRoutes(CareContext care) {
    this.care = care;
  }

  @Override
  public void mountApi(Router api) {
    api.get(BASE).handler(STAFF).handler(this::list);
    api.post(BASE + "/:candidateId/invite").handler(STAFF).handler(AccessGuard::csrf).handler(this::invite);
    api.post(BASE + "/:candidateId/dismiss").handler(STAFF).handler(AccessGuard::csrf).handler(this::dismiss);
  }

  private void list(RoutingContext ctx) {
    CareActor staff = CareActor.of(ctx);
    care.auditedRead(care.database().read(PatientDuplicates::open), staff, "care.patient.duplicates.read",
            "patients:duplicates")
        .onSuccess(rows -> ctx.json(new JsonObject().put("candidates", new JsonArray(rows))))
        .onFailure(ctx::fail);
  }

  private void invite(RoutingContext ctx) {
    CareActor staff = CareActor.of(ctx);
    String id = ctx.pathParam("candidateId");
    care.database().write(c -> {
      PatientDuplicates.Candidate candidate = openCandidate(c, id);
      if (BoardSql.replica(c, candidate.existingId())) {
        throw CodedException.conflict("care.replica_read_only", "他の市町村の支援対象者です。住所地の市町村のノードで招待されます。");
      }
      String now = care.now();
      PatientDuplicates.decide(c, id, "invited", staff.userId(), now);
      boolean member = BoardSql.member(c, candidate.existingId(), candidate.registeredBy())
          .filter(m -> m.active() || "invited".equals(m.status())).isPresent();
      if (!member) {
        BoardSql.upsertMember(c, candidate.existingId(), candidate.registeredBy(), candidate.teamRole(), "invited",
            staff.userId(), now);
        care.recordEvent(c, candidate.existingId(),
            care.events().invited(c, candidate.existingId(), candidate.registeredBy()));
      }
      PatientSql.setStatus(c, candidate.patientId(), "archived", now);
      care.recordEvent(c, candidate.patientId(), care.events().patient(c, candidate.patientId(), staff.userId()));
      care.audit().append(c, AuditEvent.success(staff.userId(), "care.patient.duplicate_invited",
          "patient:" + candidate.existingId(), new JsonObject().put("candidate", id)
              .put("duplicate", candidate.patientId()).put("invitee", candidate.registeredBy())
              .put("teamRole", candidate.teamRole())));
      care.audit().append(c, AuditEvent.success(staff.userId(), "care.patient.archived",
          "patient:" + candidate.patientId(), new JsonObject().put("duplicateOf", candidate.existingId())));
      care.recordLive(c, candidate.existingId(), new JsonObject().put("type", "team"));
      return candidate;
    }).onSuccess(candidate -> {
      CareContext.boardChanged(ctx.vertx(), candidate.existingId());
      ctx.json(new JsonObject().put("id", id).put("status", "invited"));
    }).onFailure(ctx::fail);
  }

  private void dismiss(RoutingContext ctx) {
    CareActor staff = CareActor.of(ctx);
    String id = ctx.pathParam("candidateId");
    care.database().write(c -> {
      PatientDuplicates.Candidate candidate = openCandidate(c, id);
      PatientDuplicates.decide(c, id, "dismissed", staff.userId(), care.now());
      care.audit().append(c, AuditEvent.success(staff.userId(), "care.patient.duplicate_dismissed",
          "patient:" + candidate.existingId(), new JsonObject().put("candidate", id)
              .put("duplicate", candidate.patientId())));
      return candidate;
    }).onSuccess(candidate -> ctx.json(new JsonObject().put("id", id).put("status", "dismissed")))
        .onFailure(ctx::fail);
  }

  private static PatientDuplicates.Candidate openCandidate(Connection c, String id) throws SQLException {
    return PatientDuplicates.byId(c, id).filter(PatientDuplicates.Candidate::open)
        .orElseThrow(() -> CodedException.notFound("care.duplicate_not_found", "この重複候補は見つからないか、対応済みです。"));
  }
}
