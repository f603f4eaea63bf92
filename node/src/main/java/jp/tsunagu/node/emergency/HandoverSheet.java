package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * 救急隊からの引き継ぎ情報: what the crew hands the receiving hospital, fixed when it is made. It is the
 * emergency view (the same limited facts, never the timeline) with the hospital's name and who made
 * it when; the PDF and the hospital's page both draw this one JSON.
 */
final class HandoverSheet {

  static final String TITLE = "救急隊からの引き継ぎ情報";
  static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("uuuu年M月d日 H時mm分")
      .withZone(EmergencyContext.JAPAN);

  private HandoverSheet() {}

  static JsonObject of(AccessSql.Access access, JsonObject facts, Optional<AcpSql.Version> acp,
      Optional<SharingConsents.Recorded> consent, String hospital, String madeBy, Instant madeAt) {
    JsonObject view = EmergencyView.of(access, facts, acp, consent);
    JsonObject patient = view.getJsonObject("patient");
    patient.remove("id");
    return new JsonObject().put("title", TITLE).put("hospital", hospital).put("madeBy", madeBy)
        .put("madeAt", EmergencyContext.stamp(madeAt)).put("madeAtShown", SHOWN.format(madeAt))
        .put("access", new JsonObject().put("dispatchNumber", access.dispatchNumber()).put("reason", access.reason())
            .put("responder", access.responderName()).put("openedAt", access.openedAt())
            .put("openedAtShown", SHOWN.format(Instant.parse(access.openedAt()))))
        .put("patient", patient).put("acp", view.getJsonObject("acp")).put("consent", view.getJsonObject("consent"));
  }

  /** The team's notice: who made a sheet for which hospital, when, under which 出場番号. */
  static String notice(String responder, String hospital, String dispatchNumber, Instant now) {
    return "救急隊が搬送先への引き継ぎ情報を作成しました\n作成者: " + responder + "（救急・消防）\n日時: " + SHOWN.format(now)
        + "\n搬送先: " + hospital + "\n出場番号: " + dispatchNumber;
  }
}
