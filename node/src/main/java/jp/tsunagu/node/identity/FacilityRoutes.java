package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.FieldProblems;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * A facility administrator's screens: their own facility's staff (add, disable, enable, reset
 * password, change role), the staff's device certificates (list, issue, revoke) and the
 * withdrawal application (利用廃止申請). A user or certificate of another facility is a 404.
 */
final class FacilityRoutes implements RouteSet {

  private static final List<String> STAFF_ROLES = List.of(Role.PROFESSIONAL.code(), Role.FACILITY_ADMIN.code());

  private final IdentityContext identity;
  private final CertificateRoutes certificates;

  FacilityRoutes(IdentityContext identity, CertificateRoutes certificates) {
    this.identity = identity;
    this.certificates = certificates;
  }

  @Override
  public void mountApi(Router api) {
    api.route("/facility/*").handler(AccessGuard.roles(Role.FACILITY_ADMIN)).handler(AccessGuard::csrf);
    api.get("/facility/staff").handler(this::staff);
    IdempotencyKeys keys = identity.services().idempotency();
    keys.guard(api.post("/facility/staff")).handler(this::addStaff);
    api.get("/facility/staff/:id/certificates").handler(this::certificatesOf);
    keys.guard(api.post("/facility/staff/:id/certificates")).handler(this::issueCertificate);
    api.post("/facility/staff/:id/disable").handler(ctx -> setActive(ctx, false));
    api.post("/facility/staff/:id/enable").handler(ctx -> setActive(ctx, true));
    api.post("/facility/staff/:id/reset-password").handler(this::resetPassword);
    api.post("/facility/staff/:id/role").handler(this::changeRole);
    api.post("/facility/certificates/:id/revoke").handler(this::revokeCertificate);
    keys.guard(api.post("/facility/withdrawal")).handler(this::withdraw);
  }

  private void staff(RoutingContext ctx) {
    String facilityId = facilityOf(ctx);
    identity.database().read(c -> UserStore.ofFacility(c, facilityId)).onSuccess(users -> {
      JsonArray out = new JsonArray();
      users.forEach(u -> out.add(u.toJson()));
      ctx.json(new JsonObject().put("staff", out));
    }).onFailure(ctx::fail);
  }

  private void addStaff(RoutingContext ctx) {
    Principal admin = Principal.required(ctx);
    Fields f = Fields.of(ctx);
    List<String> professions = ReferenceData.get().professions().stream().map(ReferenceData.Profession::code).toList();
    FieldProblems problems = new FieldProblems();
    String profession = problems.check("profession", () -> f.oneOf("profession", "職種", professions));
    Role role = problems.check("role", () -> Role.fromCode(f.oneOf("role", "役割", STAFF_ROLES)).orElseThrow());
    User draft = f.person(problems, Optional.of(facilityOf(ctx)), profession, role);
    String deviceType = problems.check("deviceType", () -> f.oneOf("deviceType", "端末種別", DeviceType.CODES));
    String remark = problems.check("remark", () -> f.optionalText("remark", "備考", 100));
    problems.throwIfAny();
    String password = Secrets.readablePassword();
    IdentityContext.blocking(ctx, () -> Passwords.hash(password))
        .compose(hash -> identity.database().write(c -> {
          UserStore.requireUnused(c, draft);
          User user = draft.withPasswordHash(hash);
          UserStore.insert(c, user, identity.now());
          identity.audit().append(c, AuditEvent.success(admin.user().id(), "user.created", "user:" + user.id(),
              new JsonObject().put("role", user.role().code()).put("facility", facilityOf(ctx))));
          return user;
        }))
        .compose(user -> identity.mail(ctx.vertx(), List.of(MailTemplates.staffAccount(user.email(),
                identity.network(), identity.webBaseUrl(), user.loginId(), password)))
            .compose(mailed -> certificates.issueAndMail(ctx, admin, user, deviceType, remark)
                .compose(cert -> {
                  JsonObject out = new JsonObject().put("user", user.toJson())
                      .put("certificate", new JsonObject().put("id", cert.id()).put("mailSent", cert.mailSent()))
                      .put("mailSent", mailed && cert.mailSent());
                  if (mailed && cert.mailSent()) {
                    return Future.succeededFuture(out);
                  }
                  JsonObject credentials = new JsonObject().put("loginId", user.loginId());
                  if (!mailed) {
                    credentials.mergeIn(HandOver.password(user.loginId(), password, identity.webBaseUrl()));
                  }
                  if (!cert.mailSent()) {
                    credentials.mergeIn(HandOver.certificate(cert.issued(), identity.webBaseUrl()));
                  }
                  return HandOver.shown(identity, admin.user().id(), user.id(), credentials, "mail_not_sent")
                      .map(shown -> out.put("credentials", shown.orElseThrow()));
                })))
        // Credentials for hand-over are shown this once: never kept for a retry.
        .onSuccess(out -> Answers.createdOnce(ctx, out))
        .onFailure(ctx::fail);
  }

  private void certificatesOf(RoutingContext ctx) {
    String facilityId = facilityOf(ctx);
    identity.database().read(c -> {
      ownStaff(UserStore.byId(c, ctx.pathParam("id")), facilityId);
      return CertificateStore.ofUser(c, ctx.pathParam("id"));
    }).onSuccess(list -> ctx.json(certificates.listJson(list))).onFailure(ctx::fail);
  }

  private void issueCertificate(RoutingContext ctx) {
    Principal admin = Principal.required(ctx);
    Fields f = Fields.of(ctx);
    String deviceType = f.oneOf("deviceType", "端末種別", DeviceType.CODES);
    String remark = f.optionalText("remark", "備考", 100);
    identity.database().read(c -> ownStaff(UserStore.byId(c, ctx.pathParam("id")), facilityOf(ctx)))
        .compose(user -> certificates.issue(ctx, admin, user, deviceType, remark))
        .onSuccess(out -> Answers.createdOnce(ctx, out))
        .onFailure(ctx::fail);
  }

  private void revokeCertificate(RoutingContext ctx) {
    String facilityId = facilityOf(ctx);
    certificates.revoke(ctx, Principal.required(ctx), ctx.pathParam("id"),
        owner -> owner.facilityId().map(facilityId::equals).orElse(false));
  }

  private void setActive(RoutingContext ctx, boolean active) {
    Principal admin = Principal.required(ctx);
    identity.database().write(c -> {
      User user = ownStaff(UserStore.byId(c, ctx.pathParam("id")), facilityOf(ctx));
      if (user.id().equals(admin.user().id())) {
        throw CodedException.conflict("facility.cannot_disable_self", "自分自身を利用停止にはできません。");
      }
      UserStore.setActive(c, user.id(), active);
      if (!active) {
        SessionStore.deleteAllOf(c, user.id());
      }
      identity.audit().append(c, AuditEvent.success(admin.user().id(), active ? "user.enabled" : "user.disabled",
          "user:" + user.id(), null));
      return null;
    }).onSuccess(v -> ctx.json(new JsonObject().put("id", ctx.pathParam("id")).put("active", active)))
        .onFailure(ctx::fail);
  }

  private void resetPassword(RoutingContext ctx) {
    Principal admin = Principal.required(ctx);
    String password = Secrets.readablePassword();
    identity.database().read(c -> ownStaff(UserStore.byId(c, ctx.pathParam("id")), facilityOf(ctx)))
        .compose(user -> IdentityContext.blocking(ctx, () -> Passwords.hash(password))
            .compose(hash -> identity.database().write(c -> {
              UserStore.setPasswordHash(c, user.id(), hash);
              SessionStore.deleteAllOf(c, user.id());
              identity.audit().append(c, AuditEvent.success(admin.user().id(), "password.reset", "user:" + user.id(),
                  null));
              return user;
            })))
        .compose(user -> identity.mail(ctx.vertx(), List.of(MailTemplates.staffAccount(user.email(),
            identity.network(), identity.webBaseUrl(), user.loginId(), password)))
            .compose(mailed -> mailed ? Future.succeededFuture(new JsonObject().put("mailSent", true))
                : HandOver.shown(identity, admin.user().id(), user.id(),
                    HandOver.password(user.loginId(), password, identity.webBaseUrl()), "mail_not_sent")
                    .map(shown -> new JsonObject().put("mailSent", false).put("credentials", shown.orElseThrow()))))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void changeRole(RoutingContext ctx) {
    Principal admin = Principal.required(ctx);
    Role role = Role.fromCode(Fields.of(ctx).oneOf("role", "役割", STAFF_ROLES)).orElseThrow();
    identity.database().write(c -> {
      User user = ownStaff(UserStore.byId(c, ctx.pathParam("id")), facilityOf(ctx));
      if (user.id().equals(admin.user().id())) {
        throw CodedException.conflict("facility.cannot_change_own_role", "自分自身の役割は変更できません。");
      }
      UserStore.setRole(c, user.id(), role);
      SessionStore.deleteAllOf(c, user.id());
      identity.audit().append(c, AuditEvent.success(admin.user().id(), "user.role_changed", "user:" + user.id(),
          new JsonObject().put("from", user.role().code()).put("to", role.code())));
      return null;
    }).onSuccess(v -> ctx.json(new JsonObject().put("id", ctx.pathParam("id")).put("role", role.code())))
        .onFailure(ctx::fail);
  }

  private void withdraw(RoutingContext ctx) {
    Principal admin = Principal.required(ctx);
    String reason = Fields.of(ctx).text("reason", "廃止理由", 500);
    String id = Secrets.id();
    Function<String, JsonObject> pending = Answers.keepWithCreate(ctx, 201, String.class,
        written -> new JsonObject().put("id", written).put("status", "pending"));
    identity.database().write(c -> {
      if (WithdrawalStore.pendingExists(c, facilityOf(ctx))) {
        throw CodedException.conflict("facility.withdrawal_pending", "利用廃止申請はすでに提出されています。");
      }
      WithdrawalStore.insert(c, id, facilityOf(ctx), reason, admin.user().id(), identity.now());
      identity.audit().append(c, AuditEvent.success(admin.user().id(), "facility.withdrawal_requested",
          "facility:" + facilityOf(ctx), null));
      return id;
    }).onSuccess(written -> Answers.created(ctx, pending.apply(written)))
        .onFailure(ctx::fail);
  }

  private static String facilityOf(RoutingContext ctx) {
    return Principal.required(ctx).user().facilityId().orElseThrow(() -> CodedException.forbidden("auth.forbidden",
        "施設に所属していません。"));
  }

  /** The user if they belong to the facility; anyone else does not exist for this administrator. */
  private static User ownStaff(Optional<User> user, String facilityId) {
    return user.filter(u -> u.facilityId().map(facilityId::equals).orElse(false))
        .orElseThrow(() -> CodedException.notFound("facility.user_not_found", "利用者が見つかりません。"));
  }

}
