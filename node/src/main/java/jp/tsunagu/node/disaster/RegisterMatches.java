package jp.tsunagu.node.disaster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * The proposed matches of register people with the node's patients, for municipal staff: each shows
 * both records side by side, and staff confirm (同じ方) or reject (別の方) it. A decision is audited
 * and kept for the person across versions; nothing of the patient's record is changed by it.
 */
final class RegisterMatches {

  private final NodeServices services;
  private final AuditLog audit;
  private final PatientAccess patients;

  RegisterMatches(NodeServices services, AuditLog audit, PatientAccess patients) {
    this.services = services;
    this.audit = audit;
    this.patients = patients;
  }

  Future<JsonObject> list(String staffId) {
    return patients.registeredForStaff().compose(registered -> services.database().read(c -> {
      Map<String, PatientAccess.Registered> byId = registered.stream()
          .collect(Collectors.toMap(PatientAccess.Registered::id, Function.identity()));
      Map<String, RegisterPerson> people = RegisterSql.current(c).isPresent()
          ? Placement.byKey(RegisterSql.people(c, RegisterSql.current(c).get().id())) : Map.of();
      JsonArray rows = new JsonArray();
      for (RegisterSql.Match m : RegisterSql.matches(c)) {
        RegisterPerson person = people.get(m.personKey());
        PatientAccess.Registered patient = byId.get(m.patientId());
        if (person == null || patient == null) {
          continue; // the person left the register, or the patient was archived: nothing to decide
        }
        rows.add(new JsonObject().put("id", m.id()).put("status", m.status()).put("addressMatches", m.addressMatches())
            .put("proposedAt", m.proposedAt()).put("decidedAt", m.decidedAt())
            .put("person", person.summary().put("address", person.address()))
            .put("patient", new JsonObject().put("id", patient.id()).put("name", patient.name())
                .put("kana", patient.kana()).put("birthDate", patient.birthDate()).put("address", patient.address())));
      }
      return new JsonObject().put("matches", rows);
    })).compose(found -> audit.record(AuditEvent.success(staffId, "disaster.register.matches_read",
        "disaster:register", new JsonObject().put("matches", found.getJsonArray("matches").size()))).map(found));
  }

  Future<JsonObject> decide(String staffId, String matchId, boolean same) {
    String status = same ? "confirmed" : "rejected";
    return services.database().write(c -> {
      if (!RegisterSql.decide(c, matchId, status, staffId, Instant.now(services.clock()).toString())) {
        throw CodedException.notFound("disaster.match_not_found", "判断待ちの照合候補が見つかりません。");
      }
      audit.append(c, AuditEvent.success(staffId, "disaster.register.match_" + status, "disaster:match:" + matchId,
          new JsonObject()));
      return new JsonObject().put("id", matchId).put("status", status);
    }).recover(error -> error instanceof CodedException coded
        ? audit.record(AuditEvent.refused(staffId, "disaster.register.match_" + status, "disaster:match:" + matchId,
            new JsonObject().put("code", coded.code()))).transform(ignored -> Future.failedFuture(coded))
        : Future.failedFuture(error));
  }
}
