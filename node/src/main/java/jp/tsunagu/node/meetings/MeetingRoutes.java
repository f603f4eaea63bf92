package jp.tsunagu.node.meetings;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.PercentDecoding;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * Meetings on the API: scheduling from a board, a board's meetings, one meeting with its 出欠, changes,
 * cancellation, minutes, documents and its iCalendar file. For professionals (and facility
 * administrators, who are members of teams too).
 */
final class MeetingRoutes implements RouteSet {

  static final Handler<RoutingContext> PROFESSIONALS = AccessGuard.roles(Role.PROFESSIONAL, Role.FACILITY_ADMIN);
  private static final String DOCUMENTS = "/api/v1/meetings/:meetingId/documents";

  private final Meetings meetings;
  private final MeetingDocuments documents;
  private final MeetingCalendar calendar;
  private final IdempotencyKeys idempotency;
  private final long uploadBytes;
  private final java.time.Clock clock;

  MeetingRoutes(Meetings meetings, MeetingDocuments documents, MeetingCalendar calendar, IdempotencyKeys idempotency,
      long uploadBytes, java.time.Clock clock) {
    this.clock = clock;
    this.meetings = meetings;
    this.documents = documents;
    this.calendar = calendar;
    this.idempotency = idempotency;
    this.uploadBytes = uploadBytes;
  }

  /** Documents are larger than JSON requests: their own body limit, ahead of the listener's. */
  @Override
  public void mountFilters(Router root) {
    root.post(DOCUMENTS).order(-1).handler(BodyHandler.create(false).setBodyLimit(uploadBytes));
  }

  @Override
  public void mountApi(Router api) {
    idempotency.guard(api.post("/meetings").handler(PROFESSIONALS).handler(AccessGuard::csrf))
        .handler(this::schedule);
    api.get("/meetings/boards/:boardId").handler(PROFESSIONALS).handler(this::ofBoard);
    api.get("/meetings/:meetingId").handler(PROFESSIONALS).handler(this::one);
    api.put("/meetings/:meetingId").handler(PROFESSIONALS).handler(AccessGuard::csrf).handler(this::change);
    api.post("/meetings/:meetingId/cancel").handler(PROFESSIONALS).handler(AccessGuard::csrf).handler(this::cancel);
    api.post("/meetings/:meetingId/responses").handler(PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(this::respond);
    api.put("/meetings/:meetingId/minutes").handler(PROFESSIONALS).handler(AccessGuard::csrf).handler(this::minutes);
    api.get("/meetings/:meetingId/ics").handler(PROFESSIONALS).handler(this::ics);
    idempotency.guard(api.post("/meetings/:meetingId/documents").handler(PROFESSIONALS).handler(AccessGuard::csrf))
        .handler(this::addDocument);
    api.get("/meetings/:meetingId/documents/:documentId").handler(PROFESSIONALS).handler(this::document);
  }

  private static String user(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }

  private void schedule(RoutingContext ctx) {
    Answers.keepWithCreate(ctx, 201, Object.class, Meetings::scheduledAnswer);
    meetings.schedule(ctx.vertx(), user(ctx), JsonBodies.required(ctx)).onSuccess(json -> Answers.created(ctx, json))
        .onFailure(ctx::fail);
  }

  private void ofBoard(RoutingContext ctx) {
    meetings.ofBoard(user(ctx), ctx.pathParam("boardId")).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void one(RoutingContext ctx) {
    meetings.one(user(ctx), ctx.pathParam("meetingId")).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void change(RoutingContext ctx) {
    meetings.change(ctx.vertx(), user(ctx), ctx.pathParam("meetingId"), JsonBodies.required(ctx))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    meetings.cancel(ctx.vertx(), user(ctx), ctx.pathParam("meetingId")).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void respond(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    meetings.respond(user(ctx), ctx.pathParam("meetingId"), MeetingInput.text(body, "response"))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void minutes(RoutingContext ctx) {
    meetings.recordMinutes(ctx.vertx(), user(ctx), ctx.pathParam("meetingId"), JsonBodies.required(ctx))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void ics(RoutingContext ctx) {
    String userId = user(ctx);
    meetings.access().visible(userId, ctx.pathParam("meetingId"), "meetings.ics").onSuccess(m -> ctx.response()
        .putHeader("Content-Type", MeetingCalendar.contentType(m))
        .putHeader("Content-Disposition", "attachment; filename=\"meeting.ics\"")
        .putHeader("Cache-Control", "private, no-store")
        .end(Buffer.buffer(calendar.invitation(m, Instant.now(clock))))).onFailure(ctx::fail);
  }

  private void addDocument(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    String header = ctx.request().getHeader("X-File-Name");
    if (header == null || header.isBlank()) {
      ctx.fail(CodedException.invalid("validation.required", "ファイル名を指定してください。"));
      return;
    }
    String name = TextPolicy.check(PercentDecoding.strict(header).orElseThrow(() ->
        CodedException.invalid("validation.malformed", "ファイル名の形式が正しくありません。")),
        TextRule.line("fileName", "ファイル名", 200)).strip();
    Answers.keepWithCreate(ctx);
    documents.add(user(ctx), ctx.pathParam("meetingId"), name, body == null ? new byte[0] : body.getBytes())
        .onSuccess(json -> Answers.created(ctx, json)).onFailure(ctx::fail);
  }

  private void document(RoutingContext ctx) {
    documents.read(user(ctx), ctx.pathParam("meetingId"), ctx.pathParam("documentId")).onSuccess(d -> ctx.response()
        .putHeader("Content-Type", d.contentType())
        .putHeader("Content-Disposition", "attachment; filename*=UTF-8''"
            + URLEncoder.encode(d.name(), StandardCharsets.UTF_8).replace("+", "%20"))
        .putHeader("Cache-Control", "private, no-store").end(Buffer.buffer(d.bytes()))).onFailure(ctx::fail);
  }
}
