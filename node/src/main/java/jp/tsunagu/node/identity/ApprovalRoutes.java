package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.web.ApiException;
import jp.tsunagu.node.web.Feature;

/**
 * Municipal staff (行政) decide facility registrations. Approval creates the facility, its
 * administrator and a first device certificate in one write, then sends three mails: the
 * approval, the certificate retrieval number and password, and the login id.
 */
final class ApprovalRoutes implements Feature {

  private final IdentityContext identity;

  ApprovalRoutes(IdentityContext identity) {
    this.identity = identity;
  }

  @Override
  public void mountApi(Router api) {
    api.route("/municipal/*").handler(AccessGuard.roles(Role.MUNICIPAL_STAFF)).handler(AccessGuard::csrf);
    api.get("/municipal/registrations").handler(this::list);
    api.get("/municipal/registrations/:id").handler(this::show);
    api.post("/municipal/registrations/:id/approve").handler(this::approve);
    api.post("/municipal/registrations/:id/reject").handler(this::reject);
    api.get("/municipal/withdrawals").handler(this::withdrawals);
  }

  private void list(RoutingContext ctx) {
    String status = Optional.ofNullable(ctx.queryParams().get("status")).orElse("pending");
    if (!List.of("pending", "approved", "rejected").contains(status)) {
      ctx.fail(ApiException.badRequest("validation.malformed", "状態の指定が正しくありません。"));
      return;
    }
    identity.database().read(c -> RegistrationStore.withStatus(c, status)).onSuccess(apps -> {
      JsonArray out = new JsonArray();
      apps.forEach(a -> out.add(a.toJson()));
      ctx.json(new JsonObject().put("registrations", out));
    }).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
    identity.database().read(c -> RegistrationStore.byId(c, ctx.pathParam("id")))
        .onSuccess(app -> app.ifPresentOrElse(a -> ctx.json(a.toJson()), () -> ctx.fail(notFound())))
        .onFailure(ctx::fail);
  }

  private void approve(RoutingContext ctx) {
    Principal staff = Principal.required(ctx);
    String applicationId = ctx.pathParam("id");
    String userId = Secrets.id();
    String facilityId = Secrets.id();
    String certificateId = Secrets.id();
    identity.database().read(c -> RegistrationStore.byId(c, applicationId))
        .compose(app -> app.filter(a -> "pending".equals(a.status())).map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(notFound())))
        .compose(app -> IdentityContext.blocking(ctx, () -> identity.issuer().issue(userId))
            .compose(issued -> identity.database().write(c -> {
              if (!RegistrationStore.decide(c, applicationId, "approved", null, staff.user().id(), identity.now())) {
                throw notFound();
              }
              if (UserStore.emailTaken(c, app.text("email")) || UserStore.loginIdTaken(c, app.text("loginId"))) {
                throw ApiException.conflict("registration.duplicate_login_id",
                    "このログインIDまたはメールアドレスはすでに使われています。申請を却下してください。");
              }
              UserStore.insertFacility(c, facilityId, app.text("facilityName"), app.text("prefecture"),
                  app.text("municipalityCode"), app.text("category"), identity.now());
              UserStore.insert(c, new User(userId, Optional.of(facilityId), app.text("loginId"), app.text("email"),
                  app.text("familyName"), app.text("givenName"), app.text("familyKana"), app.text("givenKana"),
                  app.text("profession"), Role.FACILITY_ADMIN, app.passwordHash(), true), identity.now());
              CertificateStore.insert(c, certificateId, userId, issued, app.text("deviceType"), "申請時の端末",
                  identity.now());
              String actor = staff.user().id();
              identity.audit().append(c, AuditEvent.success(actor, "registration.approved",
                  "registration:" + applicationId, new JsonObject().put("facility", facilityId)));
              identity.audit().append(c, AuditEvent.success(actor, "user.created", "user:" + userId,
                  new JsonObject().put("role", Role.FACILITY_ADMIN.code()).put("facility", facilityId)));
              identity.audit().append(c, AuditEvent.success(actor, "certificate.issued", "certificate:" + certificateId,
                  new JsonObject().put("user", userId).put("serial", issued.serial())));
              return issued;
            }))
            .compose(issued -> sendMails(ctx, List.of(
                MailTemplates.approval(app.text("email"), network(), app.text("facilityName"),
                    app.text("familyName") + " " + app.text("givenName")),
                MailTemplates.certificate(app.text("email"), network(), baseUrl(ctx), issued),
                MailTemplates.loginId(app.text("email"), network(), baseUrl(ctx), app.text("loginId"))))))
        .onSuccess(mailSent -> ctx.json(new JsonObject().put("facilityId", facilityId).put("userId", userId)
            .put("mailSent", mailSent)))
        .onFailure(ctx::fail);
  }

  private void reject(RoutingContext ctx) {
    Principal staff = Principal.required(ctx);
    String applicationId = ctx.pathParam("id");
    String reason = Fields.of(ctx).text("reason", "却下理由", 500);
    identity.database().write(c -> {
      Optional<RegistrationStore.Application> app = RegistrationStore.byId(c, applicationId);
      if (app.isEmpty() || !RegistrationStore.decide(c, applicationId, "rejected", reason, staff.user().id(),
          identity.now())) {
        throw notFound();
      }
      identity.audit().append(c, AuditEvent.success(staff.user().id(), "registration.rejected",
          "registration:" + applicationId, null));
      return app.get();
    }).compose(app -> sendMails(ctx, List.of(MailTemplates.rejection(app.text("email"), network(),
        app.text("facilityName"), reason))))
        .onSuccess(mailSent -> ctx.json(new JsonObject().put("status", "rejected").put("mailSent", mailSent)))
        .onFailure(ctx::fail);
  }

  private void withdrawals(RoutingContext ctx) {
    identity.database().read(UserStore::pendingWithdrawals).onSuccess(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(new JsonObject().put("id", r[0]).put("facilityName", r[1]).put("reason", r[2])
          .put("requestedAt", r[3])));
      ctx.json(new JsonObject().put("withdrawals", out));
    }).onFailure(ctx::fail);
  }

  /** The decision stands even when mail fails; the answer says whether the mails went out. */
  Future<Boolean> sendMails(RoutingContext ctx, List<Mailer.Mail> mails) {
    return identity.mailer().send(ctx.vertx(), mails).map(true).otherwise(false);
  }

  private String network() {
    return identity.services().config().node().displayName();
  }

  static String baseUrl(RoutingContext ctx) {
    return "https://" + ctx.request().authority().toString();
  }

  private static ApiException notFound() {
    return ApiException.notFound("registration.not_found", "申請が見つからないか、すでに処理されています。");
  }
}
