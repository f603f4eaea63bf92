package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.Answers;

/**
 * 施設登録申請, the public part: the form's choices, the confirmation step (validates without
 * storing) and the submission (stored as pending for municipal staff). Neither answer depends on
 * other accounts or applications: whether a login id or an address is taken is nobody's business
 * before login (it would let anyone list the login ids to lock out). Municipal staff see such a
 * conflict beside the application ({@link ApprovalRoutes}) and reject it with a reason, which is
 * mailed to the applicant's address.
 */
final class RegistrationRoutes implements RouteSet {

  private final IdentityContext identity;

  RegistrationRoutes(IdentityContext identity) {
    this.identity = identity;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/registration/options").handler(this::options);
    api.post("/registration/confirm").handler(AccessGuard::csrf).handler(this::confirm);
    identity.services().idempotency().guard(api.post("/registrations").handler(AccessGuard::csrf))
        .handler(this::submit);
  }

  private void options(RoutingContext ctx) {
    JsonArray municipalities = new JsonArray();
    for (String code : identity.services().config().node().municipalities()) {
      ReferenceData.get().municipality(code).ifPresent(m -> municipalities.add(new JsonObject()
          .put("code", m.code()).put("prefecture", m.prefecture()).put("name", m.nameJa())));
    }
    JsonArray professions = new JsonArray();
    ReferenceData.get().professions().forEach(p -> professions.add(new JsonObject().put("code", p.code())
        .put("name", p.nameJa())));
    JsonArray categories = new JsonArray();
    FacilityCategory.LABELS.forEach((code, label) -> categories.add(new JsonObject().put("code", code)
        .put("name", label)));
    ctx.json(new JsonObject().put("municipalities", municipalities).put("professions", professions)
        .put("categories", categories).put("deviceTypes", new JsonArray(DeviceType.CODES)));
  }

  private void confirm(RoutingContext ctx) {
    RegistrationForm form = RegistrationForm.parse(Fields.of(ctx), identity.services().config());
    ctx.json(form.toJson());
  }

  private void submit(RoutingContext ctx) {
    RegistrationForm form = RegistrationForm.parse(Fields.of(ctx), identity.services().config());
    String id = Secrets.id();
    Function<String, JsonObject> pending = Answers.keepWithCreate(ctx, 201, String.class,
        written -> new JsonObject().put("id", written).put("status", "pending"));
    IdentityContext.blocking(ctx, () -> Passwords.hash(form.password()))
        .compose(hash -> identity.database().write(c -> {
          RegistrationStore.insert(c, id, form, hash, identity.now());
          identity.audit().append(c, AuditEvent.success("anonymous", "registration.submitted",
              "registration:" + id, new JsonObject().put("facility", form.facilityName())
                  .put("loginId", form.loginId())));
          return id;
        }))
        .onSuccess(written -> Answers.created(ctx, pending.apply(written)))
        .onFailure(ctx::fail);
  }
}
