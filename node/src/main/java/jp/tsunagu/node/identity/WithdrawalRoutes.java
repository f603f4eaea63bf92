package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.errors.CodedException;

/**
 * Municipal staff (行政) decide facilities' withdrawal applications (利用廃止申請). Approval ends the
 * facility in one write: every user of it is disabled, their sessions end and their device
 * certificates are revoked (refused by the web listener from the next request on); then the
 * facility's administrators are mailed. Rejection returns the facility to active and mails the
 * reason. A decision whose mail could not be sent is listed, and its mail can be sent again.
 */
final class WithdrawalRoutes implements RouteSet {

  static final String TABLE = "withdrawal_applications";

  private final IdentityContext identity;

  WithdrawalRoutes(IdentityContext identity) {
    this.identity = identity;
  }

  /** What an approval changed, for the revocation list and the answer. */
  private record Decided(WithdrawalStore.Application application, Set<String> recipients, List<String> revoked,
      int usersDisabled) {}

  @Override
  public void mountApi(Router api) {
    api.route("/municipal/withdrawals*").handler(AccessGuard.roles(Role.MUNICIPAL_STAFF)).handler(AccessGuard::csrf);
    api.get("/municipal/withdrawals").handler(this::list);
    api.post("/municipal/withdrawals/:id/approve").handler(this::approve);
    api.post("/municipal/withdrawals/:id/reject").handler(this::reject);
    api.post("/municipal/withdrawals/:id/resend-mail").handler(this::resendMail);
  }

  private void list(RoutingContext ctx) {
    String status = Optional.ofNullable(ctx.queryParams().get("status")).orElse("pending");
    if (!List.of("pending", "mail_failed").contains(status)) {
      ctx.fail(CodedException.invalid("validation.malformed", "状態の指定が正しくありません。"));
      return;
    }
    identity.database().read(c -> status.equals("pending") ? WithdrawalStore.pending(c)
        : WithdrawalStore.mailFailed(c)).onSuccess(apps -> {
          JsonArray out = new JsonArray();
          apps.forEach(a -> out.add(a.toJson()));
          ctx.json(new JsonObject().put("withdrawals", out));
        }).onFailure(ctx::fail);
  }

  private void approve(RoutingContext ctx) {
    String staff = Principal.required(ctx).user().id();
    String id = ctx.pathParam("id");
    identity.database().write(c -> {
      WithdrawalStore.Application app = pending(c, id);
      if (!WithdrawalStore.decide(c, id, "approved", null, staff, identity.now())) {
        throw notFound();
      }
      Set<String> recipients = recipients(c, app);
      UserStore.markFacilityWithdrawn(c, app.facilityId(), identity.now());
      List<String> revoked = new ArrayList<>();
      int disabled = 0;
      JsonObject because = new JsonObject().put("reason", "facility_withdrawn").put("withdrawal", id);
      for (User user : UserStore.ofFacility(c, app.facilityId())) {
        if (user.active()) {
          UserStore.setActive(c, user.id(), false);
          identity.audit().append(c, AuditEvent.success(staff, "user.disabled", "user:" + user.id(), because));
          disabled++;
        }
        SessionStore.deleteAllOf(c, user.id());
        for (DeviceCertificate certificate : CertificateStore.ofUser(c, user.id())) {
          if (CertificateStore.revoke(c, certificate.id(), staff, identity.now())) {
            revoked.add(certificate.fingerprint());
            identity.audit().append(c, AuditEvent.success(staff, "certificate.revoked",
                "certificate:" + certificate.id(), because.copy().put("user", user.id())));
          }
        }
      }
      identity.audit().append(c, AuditEvent.success(staff, "facility.withdrawal_approved",
          "facility:" + app.facilityId(), new JsonObject().put("withdrawal", id).put("usersDisabled", disabled)
              .put("certificatesRevoked", revoked.size())));
      return new Decided(app, recipients, revoked, disabled);
    }).compose(decided -> {
      // At once, before any mail: from the next request on, these certificates are refused.
      decided.revoked().forEach(identity.revoked()::add);
      return identity.mailDecision(ctx.vertx(), TABLE, id, mails(decided.application(), "approved", null,
          decided.recipients())).map(sent -> new JsonObject().put("id", id).put("status", "approved")
          .put("usersDisabled", decided.usersDisabled()).put("certificatesRevoked", decided.revoked().size())
          .put("mailSent", sent));
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void reject(RoutingContext ctx) {
    String staff = Principal.required(ctx).user().id();
    String id = ctx.pathParam("id");
    String reason = Fields.of(ctx).text("reason", "却下理由", 500);
    identity.database().write(c -> {
      WithdrawalStore.Application app = pending(c, id);
      if (!WithdrawalStore.decide(c, id, "rejected", reason, staff, identity.now())) {
        throw notFound();
      }
      UserStore.setFacilityStatus(c, app.facilityId(), "active");
      identity.audit().append(c, AuditEvent.success(staff, "facility.withdrawal_rejected",
          "facility:" + app.facilityId(), new JsonObject().put("withdrawal", id)));
      return new Decided(app, recipients(c, app), List.of(), 0);
    }).compose(decided -> identity.mailDecision(ctx.vertx(), TABLE, id,
        mails(decided.application(), "rejected", reason, decided.recipients())))
        .onSuccess(sent -> ctx.json(new JsonObject().put("id", id).put("status", "rejected").put("mailSent", sent)))
        .onFailure(ctx::fail);
  }

  private void resendMail(RoutingContext ctx) {
    String staff = Principal.required(ctx).user().id();
    String id = ctx.pathParam("id");
    identity.database().read(c -> {
      WithdrawalStore.Application app = WithdrawalStore.byId(c, id).filter(a -> !a.status().equals("pending"))
          .orElseThrow(WithdrawalRoutes::notFound);
      return new Decided(app, recipients(c, app), List.of(), 0);
    }).compose(decided -> identity.mailDecision(ctx.vertx(), TABLE, id, mails(decided.application(),
        decided.application().status(), decided.application().decisionReason().orElse(null), decided.recipients())))
        .compose(sent -> identity.audit().record(AuditEvent.success(staff, "facility.withdrawal_mail_resent",
            "withdrawal:" + id, new JsonObject().put("sent", sent))).map(sent))
        .onSuccess(sent -> ctx.json(new JsonObject().put("id", id).put("mailSent", sent)))
        .onFailure(ctx::fail);
  }

  private static WithdrawalStore.Application pending(Connection c, String id) throws SQLException {
    return WithdrawalStore.byId(c, id).filter(a -> a.status().equals("pending"))
        .orElseThrow(WithdrawalRoutes::notFound);
  }

  /** The applicant and every administrator of the facility. */
  private static Set<String> recipients(Connection c, WithdrawalStore.Application app) throws SQLException {
    Set<String> to = new LinkedHashSet<>();
    UserStore.byId(c, app.requestedBy()).ifPresent(u -> to.add(u.email()));
    UserStore.ofFacility(c, app.facilityId()).stream().filter(u -> u.role() == Role.FACILITY_ADMIN)
        .forEach(u -> to.add(u.email()));
    return to;
  }

  private List<Mailer.Mail> mails(WithdrawalStore.Application app, String status, String reason, Set<String> to) {
    return to.stream().map(address -> status.equals("approved")
        ? MailTemplates.withdrawalApproved(address, identity.network(), app.facilityName())
        : MailTemplates.withdrawalRejected(address, identity.network(), app.facilityName(), reason)).toList();
  }

  private static CodedException notFound() {
    return CodedException.notFound("facility_withdrawal.not_found", "利用廃止申請が見つからないか、すでに処理されています。");
  }
}
