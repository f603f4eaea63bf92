package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.node.care.EmergencyRecords;

/**
 * The one page a crew reads during a call: the access (until when, why), the patient's facts, the
 * current 人生会議, whether the person consented to sharing, and one call button per number found.
 * Never a post of the timeline.
 */
final class EmergencyView {

  private EmergencyView() {}

  /**
   * The view of an access as the patient's record reads now: refused when the patient is gone or
   * archived. A read only, so it runs on a reader connection, never in the single writer's transaction.
   */
  static JsonObject read(Connection c, EmergencyRecords records, SharingConsents consents, AccessSql.Access access)
      throws SQLException {
    JsonObject facts = records.emergencyFacts(c, access.patientId()).orElseThrow(EmergencyErrors::notFound);
    if (facts.getBoolean("archived")) {
      throw EmergencyErrors.archived();
    }
    return of(access, facts, AcpSql.current(c, access.patientId()), consents.of(c, access.patientId()));
  }

  static JsonObject of(AccessSql.Access access, JsonObject facts, Optional<AcpSql.Version> acp,
      Optional<SharingConsents.Recorded> consent) {
    JsonArray calls = new JsonArray();
    Set<String> seen = Phones.seen();
    Phones.collect(calls, seen, "本人", facts.getString("phone"));
    Phones.collect(calls, seen, "緊急連絡先", facts.getString("emergencyContacts"));
    acp.ifPresent(v -> Phones.collect(calls, seen, "代理意思決定者"
        + (v.plan().proxyName().isEmpty() ? "" : " " + v.plan().proxyName()), v.plan().proxyPhone()));
    Phones.collect(calls, seen, "かかりつけ医", facts.getString("familyDoctor"));
    JsonObject patient = facts.copy();
    patient.remove("archived");
    return new JsonObject().put("access", access.toJson()).put("patient", patient)
        .put("acp", acp.map(AcpSql.Version::toJson).orElse(null))
        .put("consent", consent.map(c -> new JsonObject().put("known", true).put("consented", c.consented())
            .put("label", (c.consented() ? "同意あり" : "同意なし") + "（" + c.source() + "）").put("source", c.source()))
            .orElse(new JsonObject().put("known", false).put("label", "不明（記録がありません）")))
        .put("calls", calls);
  }
}
