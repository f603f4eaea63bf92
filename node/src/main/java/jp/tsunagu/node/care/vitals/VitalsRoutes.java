package jp.tsunagu.node.care.vitals;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.FieldProblems;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.care.timeline.PostWriter;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.timeline.PostRoutes;
import jp.tsunagu.node.care.timeline.Post;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareErrors;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.web.Answers;

/**
 * Vital signs (バイタル): entered as structured values, stored both as a row for the chart
 * ({@link VitalsSql}) and as a timeline post so the team sees them in order with everything else.
 * The author corrects a record here too ({@code PUT /posts/:postId/vitals}): the chart takes the
 * new values, the post keeps every version ({@code post_versions}) and the audit log what was there
 * before. A vitals post never changes as plain text ({@code care.vitals_post} from {@link PostRoutes}).
 */
public final class VitalsRoutes implements RouteSet {

  private static final int NOTE_MAX = 2000;

  private final CareContext care;
  private final PostWriter writer;
  private final PostRoutes posts;

  public VitalsRoutes(CareContext care) {
    this.care = care;
    this.writer = new PostWriter(care);
    this.posts = new PostRoutes(care);
  }

  @Override
  public void mountApi(Router api) {
    api.get("/patients/:boardId/vitals").handler(CareFeature.PROFESSIONALS).handler(this::series);
    care.services().idempotency().guard(api.post("/patients/:boardId/vitals").handler(CareFeature.PROFESSIONALS)
        .handler(AccessGuard::csrf)).handler(this::record);
    api.put("/posts/:postId/vitals").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(this::correct);
  }

  private void record(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    CareInput input = CareInput.of(ctx);
    Vitals vitals = validate(input);
    String body = vitals.postBody(input.optionalText("note", "メモ", NOTE_MAX));
    String boardId = ctx.pathParam("boardId");
    PostSql.NewPost post = new PostSql.NewPost(CareIds.next(), boardId, actor, "バイタル", "vitals", body, null,
        vitals.toJson().encode(), List.of(), List.of());
    Answers.keepWithCreate(ctx);
    writer.write(ctx.vertx(), BoardKind.PATIENT, post, (c, postId) -> VitalsSql.insert(c, boardId, postId,
        actor.userId(), vitals))
        .onSuccess(json -> Answers.createdAsWritten(ctx, json)).onFailure(ctx::fail);
  }

  /**
   * A corrected vitals record, by its author only (a member who is not the author gets 403
   * {@code care.not_author}; anyone who may not see it, or a post that is not a vitals record, 404).
   * The values are checked as when recorded.
   */
  private void correct(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String postId = ctx.pathParam("postId");
    CareInput input = CareInput.of(ctx);
    Vitals vitals = validate(input);
    String body = vitals.postBody(input.optionalText("note", "メモ", NOTE_MAX));
    posts.visible(actor, postId, "care.vitals.edit").compose(found -> {
      if (found.kind() != BoardKind.PATIENT || !"vitals".equals(found.post().kind())) {
        return care.refused(actor, "care.vitals.edit", "post:" + postId)
            .transform(ignored -> Future.<PostRoutes.Written>failedFuture(CareErrors.notFound()));
      }
      return care.database().write(c -> {
        Post post = PostSql.byId(c, postId);
        PostRoutes.requireOwnLivePost(actor, post);
        PostWriter.requireOpen(c, BoardKind.PATIENT, post.boardId());
        PostSql.edit(c, post, post.category(), body, vitals.toJson().encode(), care.now());
        VitalsSql.update(c, postId, vitals);
        care.audit().append(c, AuditEvent.success(actor.userId(), "care.vitals.edited", "post:" + postId,
            new JsonObject().put("version", post.version() + 1).put("previousVitals", post.formData() == null ? null : new JsonObject(post.formData()))
                .put("previousBody", post.body())));
        care.recordEvent(c, post.boardId(), care.events().edited(c, postId));
        var w = PostRoutes.written(c, postId, actor);
        care.recordLive(c, found.post().boardId(), PostWriter.event("edit", postId, w.recipients()));
        return w;
      }).onSuccess(w -> CareContext.boardChanged(ctx.vertx(), found.post().boardId()));
    }).onSuccess(w -> ctx.json(w.post())).onFailure(ctx::fail);
  }

  /** The vitals of a request; every wrong value is named at once, each under its field. */
  public static Vitals validate(CareInput input) {
    JsonObject json = input.json();
    FieldProblems p = new FieldProblems();
    String measuredAt = p.check("measuredAt", () -> {
      String text = input.text("measuredAt", "測定日時", 40);
      try {
        Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw CodedException.invalid("validation.bad_date", "測定日時の形式が正しくありません。");
      }
      return text;
    });
    Integer systolic = p.check("systolic", () -> whole(json, "systolic", "収縮期血圧", 50, 280));
    Integer diastolic = p.check("diastolic", () -> whole(json, "diastolic", "拡張期血圧", 20, 180));
    if (!p.has("systolic") && !p.has("diastolic") && (systolic == null) != (diastolic == null)) {
      p.add(systolic == null ? "systolic" : "diastolic",
          CodedException.invalid("care.vitals_blood_pressure", "血圧は上と下の両方を入力してください。"));
    }
    Integer pulse = p.check("pulse", () -> whole(json, "pulse", "脈拍", 20, 250));
    Double temperature = p.check("temperature", () -> decimal(json, "temperature", "体温", 32.0, 43.0));
    Integer spo2 = p.check("spo2", () -> whole(json, "spo2", "SpO2", 50, 100));
    Double weight = p.check("weight", () -> decimal(json, "weight", "体重", 1.0, 300.0));
    p.throwIfAny();
    Vitals vitals = new Vitals(measuredAt, systolic, diastolic, pulse, temperature, spo2, weight);
    if (vitals.summary().isEmpty()) {
      p.add("systolic", CodedException.invalid("validation.required", "バイタルを1項目以上入力してください。"));
      p.throwIfAny();
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
      throw CodedException.invalid("care.vitals_out_of_range", label + "は" + min + "〜" + max + "の範囲で入力してください。");
    }
    return Math.round(number * 10) / 10.0;
  }

  private void series(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String boardId = ctx.pathParam("boardId");
    care.member(actor, BoardKind.PATIENT, boardId, "care.vitals.read")
        .compose(me -> care.auditedRead(care.database().read(c -> VitalsSql.series(c, boardId, actor.userId())),
            actor, "care.vitals.read", "patient:" + boardId))
        .onSuccess(points -> ctx.json(new JsonObject().put("vitals",
            new JsonArray(points.stream().map(VitalsSql.Point::toJson).toList()))))
        .onFailure(ctx::fail);
  }
}
