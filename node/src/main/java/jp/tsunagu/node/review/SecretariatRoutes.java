package jp.tsunagu.node.review;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Supplier;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.PercentDecoding;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * The 審査会事務局's screens: 合議体管理 (appointments, panels, members and their load), 審査会作成管理
 * (sessions, cases, materials, release), the aggregation, the confirmation and the result exports.
 * Role-gated: every other role gets 403.
 */
final class SecretariatRoutes implements jp.tsunagu.node.web.RouteSet {

  private static final Handler<RoutingContext> SECRETARIAT = AccessGuard.roles(Role.REVIEW_SECRETARIAT);
  private static final String MATERIALS = "/api/v1/review/cases/:caseId/materials";
  private static final String CASES_CSV = "/api/v1/review/sessions/:sessionId/cases/import";

  private final Panels panels;
  private final Sessions sessions;
  private final Materials materials;
  private final Results results;
  private final ReviewNotices notices;
  private final IdempotencyKeys idempotency;
  private final long uploadBytes;

  private final PartnerPackages partners;
  private final FormPicker picker;

  SecretariatRoutes(Panels panels, Sessions sessions, Materials materials, Results results, ReviewNotices notices,
      IdempotencyKeys idempotency, long uploadBytes, PartnerPackages partners, FormPicker picker) {
    this.picker = picker;
    this.notices = notices;
    this.partners = partners;
    this.panels = panels;
    this.sessions = sessions;
    this.materials = materials;
    this.results = results;
    this.idempotency = idempotency;
    this.uploadBytes = uploadBytes;
  }

  /** Materials and CSV files are larger than JSON requests: their own body limit, ahead of the listener's. */
  @Override
  public void mountFilters(Router root) {
    long limit = Math.max(uploadBytes, Materials.MAX_BYTES + 1024 * 1024);
    root.post(MATERIALS).order(-1).handler(BodyHandler.create(false).setBodyLimit(limit));
    root.post(CASES_CSV).order(-1).handler(BodyHandler.create(false).setBodyLimit(uploadBytes));
  }

  @Override
  public void mountApi(Router api) {
    api.get("/review/appointments").handler(SECRETARIAT).handler(ctx -> panels.appointments().onSuccess(ctx::json)
        .onFailure(ctx::fail));
    idempotency.guard(api.post("/review/appointments").handler(SECRETARIAT).handler(AccessGuard::csrf))
        .handler(ctx -> created(ctx, () -> panels.appoint(user(ctx), JsonBodies.required(ctx))));
    api.post("/review/appointments/:appointmentId/end").handler(SECRETARIAT).handler(AccessGuard::csrf)
        .handler(ctx -> panels.endAppointment(user(ctx), ctx.pathParam("appointmentId")).onSuccess(ctx::json)
            .onFailure(ctx::fail));
    api.get("/review/panels").handler(SECRETARIAT).handler(ctx -> panels.panels().onSuccess(ctx::json)
        .onFailure(ctx::fail));
    idempotency.guard(api.post("/review/panels").handler(SECRETARIAT).handler(AccessGuard::csrf))
        .handler(ctx -> created(ctx, () -> panels.createPanel(user(ctx), JsonBodies.required(ctx))));
    api.put("/review/panels/:panelId/members").handler(SECRETARIAT).handler(AccessGuard::csrf)
        .handler(ctx -> panels.setMembers(user(ctx), ctx.pathParam("panelId"), JsonBodies.required(ctx))
            .onSuccess(ctx::json).onFailure(ctx::fail));
    api.get("/review/sessions").handler(SECRETARIAT).handler(ctx -> sessions.list()
        .compose(json -> partners.givenUpBySession().map(failed -> {
          json.getJsonArray("sessions").forEach(o -> ((JsonObject) o).put("partnerFailures",
              failed.getOrDefault(((JsonObject) o).getString("id"), 0)));
          return json;
        })).onSuccess(ctx::json).onFailure(ctx::fail));
    idempotency.guard(api.post("/review/sessions").handler(SECRETARIAT).handler(AccessGuard::csrf))
        .handler(ctx -> created(ctx, () -> sessions.create(user(ctx), JsonBodies.required(ctx))));
    // The deliveries to partner nodes given up are shown on the session, with the reason in Japanese.
    api.get("/review/sessions/:sessionId").handler(SECRETARIAT).handler(ctx -> sessions.one(user(ctx),
        ctx.pathParam("sessionId")).compose(json -> partners.givenUp(ctx.pathParam("sessionId"))
            .map(failed -> json.put("partnerFailures", failed))).onSuccess(ctx::json).onFailure(ctx::fail));
    idempotency.guard(api.post("/review/sessions/:sessionId/cases").handler(SECRETARIAT).handler(AccessGuard::csrf))
        .handler(ctx -> created(ctx, () -> sessions.addCase(user(ctx), ctx.pathParam("sessionId"),
            JsonBodies.required(ctx))));
    api.post("/review/sessions/:sessionId/cases/import").handler(SECRETARIAT).handler(AccessGuard::csrf)
        .handler(ctx -> created(ctx, () -> sessions.importCases(user(ctx), ctx.pathParam("sessionId"), bytes(ctx))));
    api.post("/review/sessions/:sessionId/release").handler(SECRETARIAT).handler(AccessGuard::csrf)
        .handler(ctx -> sessions.release(user(ctx), ctx.pathParam("sessionId"), JsonBodies.required(ctx))
            .compose(json -> partners.released(ctx.vertx(), ctx.pathParam("sessionId"))
                .map(codes -> json.put("partnerDeliveries", new io.vertx.core.json.JsonArray(codes))))
            .onSuccess(json -> {
              ctx.json(json);
              // The reviewers' notice goes now rather than at the job's next run; a mail server that is
              // down does not undo the release (the job tries again).
              notices.sendDueNow(ctx.vertx());
            }).onFailure(ctx::fail));
    api.post("/review/sessions/:sessionId/confirm").handler(SECRETARIAT).handler(AccessGuard::csrf)
        .handler(ctx -> sessions.confirm(user(ctx), ctx.pathParam("sessionId")).onSuccess(ctx::json)
            .onFailure(ctx::fail));
    api.get("/review/sessions/:sessionId/aggregation").handler(SECRETARIAT).handler(ctx -> results
        .forSecretariat(user(ctx), ctx.pathParam("sessionId")).onSuccess(ctx::json).onFailure(ctx::fail));
    api.get("/review/sessions/:sessionId/results.csv").handler(SECRETARIAT).handler(this::csv);
    api.get("/review/sessions/:sessionId/results.pdf").handler(SECRETARIAT).handler(ctx -> results.pdf(ctx.vertx(),
        user(ctx), ctx.pathParam("sessionId")).onSuccess(bytes -> ctx.response()
            .putHeader("Content-Type", "application/pdf")
            .putHeader("Content-Disposition", "attachment; filename=\"review-results.pdf\"")
            .putHeader("Cache-Control", "private, no-store").end(Buffer.buffer(bytes))).onFailure(ctx::fail));
    idempotency.guard(api.post("/review/cases/:caseId/materials").handler(SECRETARIAT).handler(AccessGuard::csrf))
        .handler(this::addMaterial);
    idempotency.guard(api.post("/review/cases/:caseId/materials/from-form").handler(SECRETARIAT)
        .handler(AccessGuard::csrf)).handler(ctx -> created(ctx, () -> materials.fromForm(ctx.vertx(), user(ctx),
            ctx.pathParam("caseId"), JsonBodies.required(ctx))));
    // The applicant picked by name and birth date, and the opinion previewed (its free text editable).
    api.get("/review/patients").handler(SECRETARIAT).handler(ctx -> picker.search(user(ctx),
        ctx.request().getParam("name"), ctx.request().getParam("birthDate")).onSuccess(ctx::json).onFailure(ctx::fail));
    api.get("/review/cases/:caseId/form-preview").handler(SECRETARIAT).handler(ctx -> picker.preview(user(ctx),
        ctx.pathParam("caseId"), ctx.request().getParam("patientId"), ctx.request().getParam("consentOn"))
        .onSuccess(ctx::json).onFailure(ctx::fail));
    api.post("/review/materials/:materialId/withdraw").handler(SECRETARIAT).handler(AccessGuard::csrf)
        .handler(ctx -> materials.withdraw(user(ctx), ctx.pathParam("materialId")).onSuccess(ctx::json)
            .onFailure(ctx::fail));
  }

  private void csv(RoutingContext ctx) {
    String encoding = ctx.request().getParam("encoding", "utf-8");
    if (!encoding.equals("utf-8") && !encoding.equals("shift_jis")) {
      ctx.fail(CodedException.invalid("review.bad_encoding", "文字コードは UTF-8 か Shift_JIS を選んでください。"));
      return;
    }
    boolean shiftJis = encoding.equals("shift_jis");
    results.csv(user(ctx), ctx.pathParam("sessionId"), shiftJis).onSuccess(bytes -> ctx.response()
        .putHeader("Content-Type", "text/csv; charset=" + (shiftJis ? "Shift_JIS" : "UTF-8"))
        .putHeader("Content-Disposition", "attachment; filename=\"review-results" + (shiftJis ? "-sjis" : "")
            + ".csv\"")
        .putHeader("Cache-Control", "private, no-store").end(Buffer.buffer(bytes))).onFailure(ctx::fail);
  }

  private void addMaterial(RoutingContext ctx) {
    String header = ctx.request().getHeader("X-File-Name");
    String title = header == null || header.isBlank() ? "" : TextPolicy.check(PercentDecoding.strict(header)
        .orElseThrow(() -> CodedException.invalid("validation.malformed", "ファイル名の形式が正しくありません。")),
        TextRule.line("fileName", "ファイル名", 200)).strip();
    created(ctx, () -> materials.add(ctx.vertx(), user(ctx), ctx.pathParam("caseId"),
        ctx.request().getParam("kind", "reference"), title.replaceFirst("(?i)\\.pdf$", ""), bytes(ctx)));
  }

  private static byte[] bytes(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    return body == null ? new byte[0] : body.getBytes();
  }

  /**
   * A create whose write returns its answer: said before the write starts, so that the answer is kept
   * with the create in its transaction.
   */
  private static void created(RoutingContext ctx, Supplier<io.vertx.core.Future<JsonObject>> work) {
    Answers.keepWithCreate(ctx);
    work.get().onSuccess(json -> Answers.created(ctx, json)).onFailure(ctx::fail);
  }

  private static String user(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }
}
