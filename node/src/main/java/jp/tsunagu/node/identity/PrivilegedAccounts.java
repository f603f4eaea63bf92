package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.FieldProblems;

/**
 * Accounts that belong to no facility: municipal staff (行政), emergency responders (救急・消防) and
 * node operators. The operator creates the first ones through the admin API; municipal staff create
 * further 行政 and 救急 accounts on their screens. Each account gets a generated initial password
 * and a first device certificate. Both are mailed to the person (two mails, as for facility staff)
 * or, when the creator chose to hand them over ({@code delivery: "hand"}) or the mail could not be
 * sent, returned once to the creator, who hands them over in person; that is audited too, and they
 * are never shown again.
 */
final class PrivilegedAccounts {

  static final List<Role> OPERATOR_CREATES = List.of(Role.MUNICIPAL_STAFF, Role.EMERGENCY_RESPONDER,
      Role.WATCH_CENTRE, Role.REVIEW_SECRETARIAT, Role.NODE_OPERATOR);
  static final List<Role> MUNICIPAL_STAFF_CREATE = List.of(Role.MUNICIPAL_STAFF, Role.EMERGENCY_RESPONDER,
      Role.WATCH_CENTRE, Role.REVIEW_SECRETARIAT);
  static final List<String> EMERGENCY_PROFESSIONS = List.of("ems_crew", "fire_dispatcher");

  /** A validated request: the person (no password hash yet), their first device, how to deliver. */
  record Request(User person, String deviceType, String remark, boolean byHand) {}

  /** The created account; {@code credentials} only when they were not mailed. */
  record Outcome(User user, String certificateId, boolean mailSent, Optional<JsonObject> credentials) {
    JsonObject toJson() {
      JsonObject out = new JsonObject().put("user", user.toJson()).put("certificateId", certificateId)
          .put("mailSent", mailSent).put("delivery", credentials.isPresent() ? "hand" : "mail");
      credentials.ifPresent(c -> out.put("credentials", c));
      return out;
    }
  }

  private final IdentityContext identity;

  PrivilegedAccounts(IdentityContext identity) {
    this.identity = identity;
  }

  /** Validation, before any work: the role must be one the creator may give. */
  Request parse(RoutingContext ctx, List<Role> creatable) {
    Fields f = Fields.of(ctx);
    FieldProblems problems = new FieldProblems();
    Role role = problems.check("role", () -> Role.fromCode(f.oneOf("role", "役割",
        creatable.stream().map(Role::code).toList())).orElseThrow());
    // A 見守りセンター operator is commissioned by the municipality: recorded as its staff profession.
    String profession = problems.check("profession", () -> role == Role.EMERGENCY_RESPONDER
        ? f.oneOf("profession", "職種", EMERGENCY_PROFESSIONS)
        : role == Role.WATCH_CENTRE || role == Role.REVIEW_SECRETARIAT ? "municipal_staff"
        : f.optionalText("profession", "職種", 64).isEmpty() ? "municipal_staff"
            : f.oneOf("profession", "職種", ReferenceData.get().professions().stream()
                .map(ReferenceData.Profession::code).toList()));
    User person = f.person(problems, Optional.empty(), profession, role);
    String deviceType = problems.check("deviceType", () -> f.oneOf("deviceType", "端末種別", DeviceType.CODES));
    String remark = problems.check("remark", () -> f.optionalText("remark", "備考", 100));
    String delivery = problems.check("delivery", () -> {
      String value = f.optionalText("delivery", "通知方法", 10);
      if (!value.isEmpty() && !List.of("mail", "hand").contains(value)) {
        throw CodedException.invalid("validation.malformed", "通知方法は mail か hand です。");
      }
      return value;
    });
    problems.throwIfAny();
    boolean byHand = delivery.isEmpty() ? !identity.mailer().configured() : delivery.equals("hand");
    return new Request(person, deviceType, remark, byHand);
  }

  /**
   * Creates the user and the first certificate in one write, audited as done by {@code actor} (a
   * user id, or {@code operator} for the admin API), then delivers the credentials.
   */
  Future<Outcome> create(RoutingContext ctx, String actor, Request request, String baseUrl) {
    String password = Secrets.readablePassword();
    String certificateId = Secrets.id();
    User person = request.person();
    return IdentityContext.blocking(ctx, () -> new Prepared(Passwords.hash(password), identity.issuer().issue(person.id())))
        .compose(prepared -> identity.database().write(c -> {
          UserStore.requireUnused(c, person);
          UserStore.insert(c, person.withPasswordHash(prepared.hash()), identity.now());
          CertificateStore.insert(c, certificateId, person.id(), prepared.issued(), request.deviceType(),
              request.remark().isEmpty() ? "初期登録" : request.remark(), identity.now());
          identity.audit().append(c, AuditEvent.success(actor, "user.created", "user:" + person.id(),
              new JsonObject().put("role", person.role().code()).put("loginId", person.loginId())));
          identity.audit().append(c, AuditEvent.success(actor, "certificate.issued", "certificate:" + certificateId,
              new JsonObject().put("user", person.id()).put("serial", prepared.issued().serial())));
          return prepared.issued();
        }))
        .compose(issued -> deliver(ctx, actor, request, baseUrl, password, issued))
        .map(shown -> new Outcome(person, certificateId, shown.isEmpty(), shown));
  }

  private record Prepared(String hash, CertificateIssuer.Issued issued) {}

  /** Mails the credentials, or returns them for the creator when that was chosen or the mail failed. */
  private Future<Optional<JsonObject>> deliver(RoutingContext ctx, String actor, Request request, String baseUrl,
      String password, CertificateIssuer.Issued issued) {
    User person = request.person();
    Future<Boolean> mailed = request.byHand() ? Future.succeededFuture(false)
        : identity.mail(ctx.vertx(), List.of(
            MailTemplates.account(person.email(), identity.network(), baseUrl, person, password),
            MailTemplates.certificate(person.email(), identity.network(), baseUrl, issued)));
    return mailed.compose(sent -> {
      if (sent) {
        return Future.succeededFuture(Optional.<JsonObject>empty());
      }
      JsonObject credentials = new JsonObject().put("loginId", person.loginId()).put("initialPassword", password)
          .put("retrievalNumber", MailTemplates.grouped(issued.retrievalNumber()))
          .put("certificatePassword", issued.password()).put("certificateUrl", baseUrl + "/#/certificate")
          .put("loginUrl", baseUrl + "/#/login");
      return identity.audit().record(AuditEvent.success(actor, "user.credentials_shown", "user:" + person.id(),
          new JsonObject().put("reason", request.byHand() ? "hand_delivery_chosen" : "mail_not_sent")))
          .map(v -> Optional.of(credentials));
    });
  }
}
