package jp.tsunagu.node.care.patients;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;

/** A patient (支援対象者) as registered on this node. */
public record Patient(String id, Details details, String status, String createdAt, String updatedAt) {

  /** What a registration or an edit sets. */
  public record Details(String familyName, String givenName, String familyKana, String givenKana, LocalDate birthDate,
      String sex, String address, String municipalityCode, String phone, String familyDoctor, String careLevel,
      String emergencyContacts, String acpNotes, String remarks) {

    /** The same person for the duplicate check: same name and the same birthday. */
    String identityKey() {
      return familyName + " " + givenName + " " + birthDate;
    }
  }

  public boolean archived() {
    return "archived".equals(status);
  }

  public JsonObject toJson() {
    Details d = details;
    return new JsonObject().put("id", id).put("familyName", d.familyName()).put("givenName", d.givenName())
        .put("familyKana", d.familyKana()).put("givenKana", d.givenKana()).put("birthDate", d.birthDate().toString())
        .put("sex", d.sex()).put("address", d.address()).put("municipalityCode", d.municipalityCode())
        .put("phone", d.phone()).put("familyDoctor", d.familyDoctor()).put("careLevel", d.careLevel())
        .put("emergencyContacts", d.emergencyContacts()).put("acpNotes", d.acpNotes()).put("remarks", d.remarks())
        .put("status", status).put("createdAt", createdAt).put("updatedAt", updatedAt);
  }
}
