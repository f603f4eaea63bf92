package jp.tsunagu.node.care;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.patients.PatientSql;
import jp.tsunagu.node.care.patients.Patient;

/**
 * What another feature may learn of a patient (referrals from the 周辺資源 tab name the patient
 * and start from their home), and only for an active member of the patient's care team: the same
 * rule as the care routes, the same {@code care.not_found} for everyone else, and the refusal audited.
 */
public final class PatientAccess {

  /** The facts a referral needs: who the patient is and where they live. */
  public record Summary(String id, String name, String address, String municipalityCode) {}

  private final NodeServices services;
  private final AuditLog audit;

  public PatientAccess(NodeServices services) {
    this.services = services;
    this.audit = new AuditLog(services.database(), services.clock());
  }

  /**
   * What matching the disaster-assistance register needs of every active patient registered on this
   * node: who they are (kana and birth date) and where they live. Only for municipal staff (行政), who
   * see the node's patients; the caller audits the read.
   */
  public record Registered(String id, String name, String kana, String birthDate, String address,
      String municipalityCode) {}

  /** The node's own active patients, for municipal staff (see {@link Registered}). */
  public Future<java.util.List<Registered>> registeredForStaff() {
    return services.database().read(c -> PatientSql.registeredHere(c).stream().map(p -> {
      Patient.Details d = p.details();
      return new Registered(p.id(), d.familyName() + " " + d.givenName(), d.familyKana() + d.givenKana(),
          d.birthDate().toString(), d.address(), d.municipalityCode());
    }).toList());
  }

  /** A demo patient: who they are and who registered them (a users row of this node). */
  public record DemoPatient(String id, String name, String registeredBy) {}

  /**
   * A registered patient of this node by family name, with who registered them: the demo's family
   * notebook is made for a demo patient, in the name of the professional who registered them.
   */
  public Future<java.util.Optional<DemoPatient>> demoPatient(String familyName) {
    return services.database().read(c -> {
      for (Patient p : PatientSql.registeredHere(c)) {
        java.util.Optional<String> by = PatientSql.createdBy(c, p.id());
        if (p.details().familyName().equals(familyName) && by.isPresent()) {
          return java.util.Optional.of(new DemoPatient(p.id(), p.details().familyName() + " "
              + p.details().givenName(), by.get()));
        }
      }
      return java.util.Optional.<DemoPatient>empty();
    });
  }

  /** The patient, when {@code userId} is an active member of their team; else a failed future (404). */
  public Future<Summary> forMember(String userId, String patientId, String action) {
    return services.database().read(c -> BoardSql.activeMember(c, patientId, BoardKind.PATIENT, userId).isPresent()
        ? PatientSql.byId(c, patientId) : java.util.Optional.<Patient>empty()).compose(found -> {
          if (found.isPresent()) {
            Patient.Details d = found.get().details();
            return Future.succeededFuture(new Summary(patientId, d.familyName() + " " + d.givenName(), d.address(),
                d.municipalityCode()));
          }
          return audit.record(AuditEvent.refused(userId, action, BoardKind.PATIENT.auditTarget(patientId),
              new JsonObject().put("reason", "not_a_member")))
              .transform(ignored -> Future.failedFuture(CareErrors.notFound()));
        });
  }

  /**
   * The patient's summary and birth date on this node (homed here or a partner's replica), in the
   * caller's transaction; who may read it is the caller's check.
   */
  public java.util.Optional<Known> known(java.sql.Connection c, String patientId) throws java.sql.SQLException {
    return PatientSql.byId(c, patientId).map(p -> {
      Patient.Details d = p.details();
      return new Known(new Summary(patientId, d.familyName() + " " + d.givenName(), d.address(), d.municipalityCode()),
          d.birthDate());
    });
  }

  /**
   * The node a patient's board is homed at when this node holds a partner's copy of it; empty for a
   * board homed here or unknown here. In the caller's transaction.
   */
  public java.util.Optional<String> homeNode(java.sql.Connection c, String patientId) throws java.sql.SQLException {
    return BoardSql.homeNode(c, patientId);
  }

  /** A patient as {@link #known} finds them. */
  public record Known(Summary summary, java.time.LocalDate birthDate) {}
}
