package jp.tsunagu.node.care;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.care.patients.EmergencyRecordSql;
import jp.tsunagu.node.care.patients.Patient;
import jp.tsunagu.node.care.patients.PatientSql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.Member;
import jp.tsunagu.node.care.timeline.Author;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.timeline.PostWriter;
import jp.tsunagu.node.care.vitals.VitalsSql;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * What the emergency feature (救急情報連携, 人生会議) may read and write of a patient, published by care so
 * that feature needs none of care's tables. Every method takes the caller's connection, so an access,
 * its audit entry and the team's notice are one transaction. Who may call what (a responder's access,
 * a member's edit) is the caller's check; this only reads and writes.
 */
public final class EmergencyRecords {

  /** A patient a search found. */
  public record Candidate(String id, String name, String kana, String birthDate, String address, boolean archived) {}

  /** 病歴・既往歴, current medication and allergies. */
  public record Medical(String history, String medications, String allergies) {

    public JsonObject toJson() {
      return new JsonObject().put("medicalHistory", history).put("medications", medications).put("allergies", allergies);
    }
  }

  /** Who writes the notice on the team's timeline (the responder, who is no member). */
  public record NoticeAuthor(String userId, String name, String role) {}

  /** A demo patient and the 主治医 of the team, who writes the demo's 人生会議. */
  public record Lead(String patientId, String userId, String name) {}

  private final CareContext care;

  public EmergencyRecords(CareContext care) {
    this.care = care;
  }

  public List<Candidate> byName(Connection c, String name, String kana, String birthDate, int limit)
      throws SQLException {
    return candidates(EmergencyRecordSql.byName(c, name, kana, birthDate, limit));
  }

  public List<Candidate> byPhone(Connection c, String digits, int limit) throws SQLException {
    return candidates(EmergencyRecordSql.byPhone(c, digits, limit));
  }

  public List<Candidate> byAddress(Connection c, String part, int limit) throws SQLException {
    return candidates(EmergencyRecordSql.byAddress(c, part, limit));
  }

  /** One of this node's own patients (never a partner's replica). */
  public Optional<Candidate> patient(Connection c, String patientId) throws SQLException {
    return EmergencyRecordSql.byId(c, patientId).map(EmergencyRecords::candidate);
  }

  /** Whether the user is an active member of the patient's team (the same rule as the care routes). */
  public boolean activeMember(Connection c, String patientId, String userId) throws SQLException {
    return BoardSql.activeMember(c, patientId, BoardKind.PATIENT, userId).isPresent();
  }

  /** Whether the patient's home is a partner node (their record here is a read replica). */
  public boolean replica(Connection c, String patientId) throws SQLException {
    return BoardSql.replica(c, patientId);
  }

  public Medical medical(Connection c, String patientId) throws SQLException {
    EmergencyRecordSql.Medical m = EmergencyRecordSql.medical(c, patientId);
    return new Medical(m.history(), m.medications(), m.allergies());
  }

  public void updateMedical(Connection c, String patientId, Medical m) throws SQLException {
    EmergencyRecordSql.updateMedical(c, patientId, new EmergencyRecordSql.Medical(m.history(), m.medications(),
        m.allergies()), care.now());
  }

  /**
   * The facts a crew needs: who the patient is, where they live, the family doctor, 要介護度, close
   * relatives' contacts, the medical facts, the care team (name, role, profession, facility) and the
   * latest vitals. Never a post of the timeline.
   */
  public Optional<JsonObject> emergencyFacts(Connection c, String patientId) throws SQLException {
    Optional<Patient> found = PatientSql.byId(c, patientId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Patient.Details d = found.get().details();
    JsonArray team = new JsonArray();
    for (Member m : BoardSql.members(c, patientId)) {
      if (m.active()) {
        team.add(new JsonObject().put("name", m.name()).put("teamRole", m.teamRole())
            .put("profession", ReferenceData.get().profession(m.profession())
                .map(ReferenceData.Profession::nameJa).orElse(m.profession()))
            .put("facility", m.facilityName()));
      }
    }
    return Optional.of(new JsonObject().put("id", patientId).put("name", d.familyName() + " " + d.givenName())
        .put("kana", d.familyKana() + " " + d.givenKana()).put("birthDate", d.birthDate().toString())
        .put("sex", d.sex()).put("address", d.address()).put("phone", d.phone())
        .put("familyDoctor", d.familyDoctor()).put("careLevel", d.careLevel())
        .put("emergencyContacts", d.emergencyContacts()).put("archived", found.get().archived())
        .mergeIn(medical(c, patientId).toJson()).put("team", team)
        .put("latestVitals", VitalsSql.latest(c, patientId).map(v -> v.toJson().put("summary", v.summary()))
            .orElse(null)));
  }

  /**
   * Writes a notice on the patient's timeline under the author's own name (a responder is no member;
   * the post is this node's own and does not go to partners' replicas). Returns the post's id.
   */
  public String postNotice(Connection c, String patientId, NoticeAuthor author, String body) throws SQLException {
    PostWriter.requireOpen(c, BoardKind.PATIENT, patientId);
    return insertNotice(c, patientId, author, body);
  }

  /**
   * {@link #postNotice} for a patient the caller read with {@link #patient} in this same transaction
   * and found open: the single writer holds the database, so the patient is still there and open, and
   * the check is not read again.
   */
  public String postNotice(Connection c, Candidate openPatient, NoticeAuthor author, String body)
      throws SQLException {
    if (openPatient.archived()) {
      throw CareErrors.archived();
    }
    return insertNotice(c, openPatient.id(), author, body);
  }

  private String insertNotice(Connection c, String patientId, NoticeAuthor author, String body) throws SQLException {
    List<String> categories = PostSql.activeCategories(c);
    String category = categories.contains("連絡") ? "連絡" : categories.isEmpty() ? "連絡" : categories.get(0);
    String postId = CareIds.next();
    CareActor actor = new CareActor(author.userId(), author.name(), Optional.empty(), "");
    PostSql.insertAs(c, new PostSql.NewPost(postId, patientId, actor, category, "note", body, null, null, List.of(),
        List.of()), new Author(author.userId(), author.name(), author.role(), ""), care.now(), null);
    // Only the team's open timelines hear of it: the notice is this node's own post and no team event,
    // so team sync would find nothing to send for it.
    care.live().record(c, patientId, PostWriter.event("post", postId, List.of()));
    return postId;
  }

  /** The node's own patients with the 主治医 of their team, for the demo's 人生会議. */
  public List<Lead> leads(Connection c) throws SQLException {
    return EmergencyRecordSql.leads(c).stream().map(l -> new Lead(l[0], l[1], l[2])).toList();
  }

  private static List<Candidate> candidates(List<EmergencyRecordSql.Found> found) {
    return found.stream().map(EmergencyRecords::candidate).toList();
  }

  private static Candidate candidate(EmergencyRecordSql.Found f) {
    return new Candidate(f.id(), f.familyName() + " " + f.givenName(), f.familyKana() + " " + f.givenKana(),
        f.birthDate(), f.address(), "archived".equals(f.status()));
  }
}
