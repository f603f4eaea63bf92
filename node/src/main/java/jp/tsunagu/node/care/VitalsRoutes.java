package jp.tsunagu.node.care;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.ApiException;
import jp.tsunagu.node.web.Feature;

/**
 * Vital signs (バイタル): entered as structured values, stored both as a row for the chart and as a
 * timeline post so the team sees them in order with everything else. Their SQL is here (two
 * statements).
 */
final class VitalsRoutes implements Feature {

  private final CareContext care;
  private final PostWriter writer;

  VitalsRoutes(CareContext care) {
    this.care = care;
    this.writer = new PostWriter(care);
  }

  @Override
  public void mountApi(Router api) {
    api.get("/patients/:boardId/vitals").handler(CareFeatures.PROFESSIONALS).handler(this::series);
    api.post("/patients/:boardId/vitals").handler(CareFeatures.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(this::record);
  }

  private void record(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    CareInput input = CareInput.of(ctx);
    Vitals vitals = validate(input);
    String note = input.optionalText("note", "メモ", 2000);
    String body = vitals.summary() + (note.isEmpty() ? "" : "\n" + note);
    String boardId = ctx.pathParam("boardId");
    PostSql.NewPost post = new PostSql.NewPost(CareIds.next(), boardId, actor, "バイタル", "vitals", body, null,
        vitals.toJson().encode(), List.of(), List.of());
    writer.write(ctx.vertx(), BoardKind.PATIENT, post, (c, postId) -> {
      try (PreparedStatement s = c.prepareStatement("insert into vitals (id, board_id, post_id, measured_at, systolic,"
          + " diastolic, pulse, temperature, spo2, weight, recorded_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, CareIds.next());
        s.setString(2, boardId);
        s.setString(3, postId);
        s.setString(4, vitals.measuredAt());
        s.setObject(5, vitals.systolic());
        s.setObject(6, vitals.diastolic());
        s.setObject(7, vitals.pulse());
        s.setObject(8, vitals.temperature());
        s.setObject(9, vitals.spo2());
        s.setObject(10, vitals.weight());
        s.setString(11, actor.userId());
        s.executeUpdate();
      }
    }).onSuccess(json -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
        .end(json.encode())).onFailure(ctx::fail);
  }

  static Vitals validate(CareInput input) {
    JsonObject json = input.json();
    String measuredAt = input.text("measuredAt", "測定日時", 40);
    try {
      Instant.parse(measuredAt);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("validation.bad_date", "測定日時の形式が正しくありません。");
    }
    Integer systolic = whole(json, "systolic", "収縮期血圧", 50, 280);
    Integer diastolic = whole(json, "diastolic", "拡張期血圧", 20, 180);
    if ((systolic == null) != (diastolic == null)) {
      throw ApiException.badRequest("care.vitals_blood_pressure", "血圧は上と下の両方を入力してください。");
    }
    Vitals vitals = new Vitals(measuredAt, systolic, diastolic, whole(json, "pulse", "脈拍", 20, 250),
        decimal(json, "temperature", "体温", 32.0, 43.0), whole(json, "spo2", "SpO2", 50, 100),
        decimal(json, "weight", "体重", 1.0, 300.0));
    if (vitals.summary().isEmpty()) {
      throw ApiException.badRequest("validation.required", "バイタルを1項目以上入力してください。");
    }
    return vitals;
  }

  private static Integer whole(JsonObject json, String key, String label, int min, int max) {
    Double value = decimal(json, key, label, min, max);
    if (value == null) {
      return null;
    }
    if (value != Math.rint(value)) {
      throw CareInput.malformed(label);
    }
    return value.intValue();
  }

  private static Double decimal(JsonObject json, String key, String label, double min, double max) {
    Object value = json.getValue(key);
    if (value == null || "".equals(value)) {
      return null;
    }
    double number;
    try {
      number = value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
    } catch (NumberFormatException e) {
      throw CareInput.malformed(label);
    }
    if (!(number >= min && number <= max)) {
      throw ApiException.badRequest("care.vitals_out_of_range", label + "は" + min + "〜" + max + "の範囲で入力してください。");
    }
    return Math.round(number * 10) / 10.0;
  }

  private void series(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String boardId = ctx.pathParam("boardId");
    care.member(actor, BoardKind.PATIENT, boardId, "care.vitals.read")
        .compose(me -> care.auditedRead(care.database().read(c -> {
          List<JsonObject> rows = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement("select v.measured_at, v.systolic, v.diastolic, v.pulse,"
              + " v.temperature, v.spo2, v.weight from vitals v join posts p on p.id = v.post_id"
              + " where v.board_id = ? and p.status = 'active' order by v.measured_at desc limit 500")) {
            s.setString(1, boardId);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                rows.add(0, new Vitals(rs.getString(1), (Integer) rs.getObject(2), (Integer) rs.getObject(3),
                    (Integer) rs.getObject(4), number(rs.getObject(5)), (Integer) rs.getObject(6),
                    number(rs.getObject(7))).toJson());
              }
            }
          }
          return rows;
        }), actor, "care.vitals.read", "patient:" + boardId))
        .onSuccess(rows -> ctx.json(new JsonObject().put("vitals", new JsonArray(rows))))
        .onFailure(ctx::fail);
  }

  private static Double number(Object value) {
    return value == null ? null : ((Number) value).doubleValue();
  }
}
