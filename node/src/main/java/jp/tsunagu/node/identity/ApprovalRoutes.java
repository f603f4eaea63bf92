package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.errors.CodedException;

/**
 * Municipal staff (行政) decide facility registrations. Approval creates the facility, its
 * administrator and a first device certificate in one write, then sends three mails: the
 * approval, the certificate retrieval number and password, and the login id.
 *
 * <p>The decision stands when the SMTP server fails: the facility, its administrator and the
 * certificate exist, the application is marked {@code mailStatus: failed} and listed on the staff's
 * screen, and staff send the mails again once mail works. The retrieval password was never
 * stored, so a resend replaces a certificate that was not downloaded yet by a new one (the old
 * retrieval number stops working); a certificate already downloaded is left alone and its mail
 * is not repeated.
 */
final class ApprovalRoutes implements RouteSet {

  static final String TABLE = "registration_applications";

  private final IdentityContext identity;

  ApprovalRoutes(IdentityContext identity) {
    this.identity = identity;
  }

  @Override
  public void mountApi(Router api) {
    api.route("/municipal/registrations*").handler(AccessGuard.roles(Role.MUNICIPAL_STAFF))
        .handler(AccessGuard::csrf);
    api.get("/municipal/registrations").handler(this::list);
    api.get("/municipal/registrations/:id").handler(this::show);
    api.post("/municipal/registrations/:id/approve").handler(this::approve);
    api.post("/municipal/registrations/:id/reject").handler(this::reject);
    api.post("/municipal/registrations/:id/resend-mail").handler(this::resendMail);
  }

  private void list(RoutingContext ctx) {
    String status = Optional.ofNullable(ctx.queryParams().get("status")).orElse("pending");
    if (!List.of("pending", "approved", "rejected", "mail_failed").contains(status)) {
      ctx.fail(CodedException.invalid("validation.malformed", "状態の指定が正しくありません。"));
      return;
    }
    identity.database().read(c -> {
      JsonArray out = new JsonArray();
      for (RegistrationStore.Application app : status.equals("mail_failed") ? RegistrationStore.mailFailed(c)
          : RegistrationStore.withStatus(c, status)) {
        JsonObject json = app.toJson();
        if ("pending".equals(app.status())) {
          json.put("conflicts", new JsonArray(RegistrationStore.conflicts(c, app)));
        }
        out.add(json);
      }
      return out;
    }).onSuccess(out -> ctx.json(new JsonObject().put("registrations", out))).onFailure(ctx::fail);
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
              refuseTaken(c, app);
              UserStore.insertFacility(c, facilityId, app.text("facilityName"), app.text("prefecture"),
                  app.text("municipalityCode"), app.text("category"), identity.now());
              UserStore.insert(c, new User(userId, Optional.of(facilityId), app.text("loginId"), app.text("email"),
                  app.text("familyName"), app.text("givenName"), app.text("familyKana"), app.text("givenKana"),
                  app.text("profession"), Role.FACILITY_ADMIN, app.passwordHash(), true), identity.now());
              CertificateStore.insert(c, certificateId, userId, issued, app.text("deviceType"), "申請時の端末",
                  identity.now());
              RegistrationStore.linkAdministrator(c, applicationId, userId);
              String actor = staff.user().id();
              identity.audit().append(c, AuditEvent.success(actor, "registration.approved",
                  "registration:" + applicationId, new JsonObject().put("facility", facilityId)));
              identity.audit().append(c, AuditEvent.success(actor, "user.created", "user:" + userId,
                  new JsonObject().put("role", Role.FACILITY_ADMIN.code()).put("facility", facilityId)));
              identity.audit().append(c, AuditEvent.success(actor, "certificate.issued", "certificate:" + certificateId,
                  new JsonObject().put("user", userId).put("serial", issued.serial())));
              return issued;
            }))
            .compose(issued -> identity.mailDecision(ctx.vertx(), TABLE, applicationId,
                    approvalMails(app, identity.webBaseUrl(), Optional.of(issued)))
                .compose(mailSent -> handOverUnlessSent(mailSent, staff.user().id(), userId, app, Optional.of(issued)))))
        .onSuccess(out -> ctx.json(out.put("facilityId", facilityId).put("userId", userId)))
        .onFailure(ctx::fail);
  }

  /**
   * An application whose login id or address a user already has cannot be approved: staff are told
   * which (the applicant never was) and reject it with a reason, mailed to the applicant.
   */
  private static void refuseTaken(java.sql.Connection c, RegistrationStore.Application app)
      throws java.sql.SQLException {
    if (UserStore.exists(c, "select 1 from users where email = ?", app.text("email"))) {
      throw CodedException.conflict("registration.duplicate_email",
          "このメールアドレスはすでに別のアカウントで使われています。理由を添えて申請を却下してください。");
    }
    if (UserStore.exists(c, "select 1 from users where login_id = ?", app.text("loginId"))) {
      throw CodedException.conflict("registration.duplicate_login_id",
          "このログインIDはすでに別のアカウントで使われています。理由を添えて申請を却下してください。");
    }
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
    }).compose(app -> identity.mailDecision(ctx.vertx(), TABLE, applicationId, List.of(rejectionMail(app, reason))))
        .onSuccess(mailSent -> ctx.json(new JsonObject().put("status", "rejected").put("mailSent", mailSent)))
        .onFailure(ctx::fail);
  }

  /** Sends a decision's mails again (after an SMTP failure, or when the applicant lost them). */
  private void resendMail(RoutingContext ctx) {
    String staff = Principal.required(ctx).user().id();
    String applicationId = ctx.pathParam("id");
    identity.database().read(c -> RegistrationStore.byId(c, applicationId))
        .compose(found -> {
          RegistrationStore.Application app = found.filter(a -> !a.status().equals("pending"))
              .orElseThrow(ApprovalRoutes::notFound);
          if (app.status().equals("rejected")) {
            return identity.mailDecision(ctx.vertx(), TABLE, applicationId,
                List.of(rejectionMail(app, app.reason().orElse("")))).map(sent -> new Resent(sent, false));
          }
          String userId = app.userId().orElseThrow(() -> CodedException.conflict("registration.mail_unavailable",
              "この申請は以前の版で承認されたため、メールを再送できません。"));
          return replaceUndownloaded(ctx, staff, userId).compose(issued -> identity.mailDecision(ctx.vertx(), TABLE,
              applicationId, approvalMails(app, identity.webBaseUrl(), issued))
              .compose(sent -> handOverUnlessSent(sent, staff, userId, app, issued))
              .map(out -> new Resent(out.getBoolean("mailSent"), issued.isPresent(), out)));
        })
        .compose(resent -> identity.audit().record(AuditEvent.success(staff, "registration.mail_resent",
            "registration:" + applicationId, new JsonObject().put("sent", resent.sent())
                .put("certificateReplaced", resent.certificateReplaced()))).map(resent))
        .onSuccess(resent -> ctx.json(resent.answer().put("id", applicationId)
            .put("certificateReplaced", resent.certificateReplaced())))
        .onFailure(ctx::fail);
  }

  private record Resent(boolean sent, boolean certificateReplaced, JsonObject answer) {
    Resent(boolean sent, boolean certificateReplaced) {
      this(sent, certificateReplaced, new JsonObject().put("mailSent", sent));
    }
  }

  /**
   * {@code {mailSent}}; when the approval's mails did not go out, also the facility administrator's
   * login id and (when one waits for download) the certificate's retrieval number and password, shown
   * once to the staff member for hand-over and audited.
   */
  private Future<JsonObject> handOverUnlessSent(boolean sent, String staff, String userId,
      RegistrationStore.Application app, Optional<CertificateIssuer.Issued> issued) {
    JsonObject out = new JsonObject().put("mailSent", sent);
    if (sent) {
      return Future.succeededFuture(out);
    }
    JsonObject credentials = new JsonObject().put("loginId", app.text("loginId"))
        .put("loginUrl", identity.webBaseUrl() + "/#/login");
    issued.ifPresent(i -> credentials.mergeIn(HandOver.certificate(i, identity.webBaseUrl())));
    return HandOver.shown(identity, staff, userId, credentials, "mail_not_sent")
        .map(shown -> out.put("credentials", shown.orElseThrow()));
  }

  /**
   * Revokes the user's certificates that still wait for their download and issues one new one in
   * their place; empty when every certificate was already downloaded (nothing to send then).
   */
  private Future<Optional<CertificateIssuer.Issued>> replaceUndownloaded(RoutingContext ctx, String staff,
      String userId) {
    return identity.database().read(c -> CertificateStore.ofUser(c, userId).stream()
            .filter(d -> d.awaitingDownload() && !d.revoked()).toList())
        .compose(waiting -> waiting.isEmpty() ? Future.succeededFuture(Optional.empty())
            : IdentityContext.blocking(ctx, () -> identity.issuer().issue(userId)).compose(issued -> {
              List<String> revoked = new ArrayList<>();
              return identity.database().write(c -> {
                for (DeviceCertificate old : waiting) {
                  if (CertificateStore.revokeUndownloaded(c, old.id(), staff, identity.now())) {
                    revoked.add(old.fingerprint());
                    identity.audit().append(c, AuditEvent.success(staff, "certificate.revoked",
                        "certificate:" + old.id(), new JsonObject().put("user", userId)
                            .put("reason", "replaced_on_mail_resend")));
                  }
                }
                if (revoked.isEmpty()) {
                  return Optional.<CertificateIssuer.Issued>empty();
                }
                String certificateId = Secrets.id();
                CertificateStore.insert(c, certificateId, userId, issued, waiting.get(0).deviceType(),
                    waiting.get(0).remark(), identity.now());
                identity.audit().append(c, AuditEvent.success(staff, "certificate.issued",
                    "certificate:" + certificateId, new JsonObject().put("user", userId).put("serial", issued.serial())));
                return Optional.of(issued);
              }).onSuccess(v -> revoked.forEach(identity.revoked()::add));
            }));
  }

  /** The approval, the certificate (when there is one to send) and the login id. */
  private List<Mailer.Mail> approvalMails(RegistrationStore.Application app, String baseUrl,
      Optional<CertificateIssuer.Issued> issued) {
    List<Mailer.Mail> mails = new ArrayList<>();
    mails.add(MailTemplates.approval(app.text("email"), identity.network(), app.text("facilityName"),
        app.text("familyName") + " " + app.text("givenName")));
    issued.ifPresent(i -> mails.add(MailTemplates.certificate(app.text("email"), identity.network(), baseUrl, i)));
    mails.add(MailTemplates.loginId(app.text("email"), identity.network(), baseUrl, app.text("loginId")));
    return mails;
  }

  private Mailer.Mail rejectionMail(RegistrationStore.Application app, String reason) {
    return MailTemplates.rejection(app.text("email"), identity.network(), app.text("facilityName"), reason);
  }

  private static CodedException notFound() {
    return CodedException.notFound("registration.not_found", "申請が見つからないか、すでに処理されています。");
  }
}
