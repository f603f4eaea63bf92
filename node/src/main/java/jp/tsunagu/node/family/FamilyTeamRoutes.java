package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Mailer;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.identity.Secrets;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * The team's side of the notebook: a member invites a family member or the patient (with the
 * patient's consent recorded: who gave it and when), lists the accounts and when each last logged
 * in (so the team sees the door was used), reads the family's entries, and recovers an account
 * whose phone or password is lost (a new one-time code; the old password, code secret and sessions
 * stop working), or ends an account's access for good. Non-members get care's 404.
 */
final class FamilyTeamRoutes implements RouteSet {

  static final List<String> RELATIONS = List.of("本人", "配偶者", "子", "子の配偶者", "孫", "親", "兄弟姉妹", "その他の親族",
      "その他");

  private final FamilyContext family;

  FamilyTeamRoutes(FamilyContext family) {
    this.family = family;
  }

  @Override
  public void mountApi(Router api) {
    var professionals = AccessGuard.roles(Role.PROFESSIONAL);
    family.services().idempotency().guard(api.post("/patients/:patientId/family/invitations")
        .handler(professionals).handler(AccessGuard::csrf)).handler(this::invite);
    api.get("/patients/:patientId/family/accounts").handler(professionals).handler(this::accounts);
    api.post("/patients/:patientId/family/accounts/:accountId/recovery").handler(professionals)
        .handler(AccessGuard::csrf).handler(this::recover);
    api.post("/patients/:patientId/family/accounts/:accountId/revoke").handler(professionals)
        .handler(AccessGuard::csrf).handler(this::revoke);
    api.get("/patients/:patientId/family/entries").handler(professionals).handler(this::entries);
  }

  private void invite(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    String target = FamilyContext.patientTarget(patientId);
    JsonObject body = JsonBodies.required(ctx);
    String email;
    String name;
    String relation;
    String consentBy;
    String consentAt;
    try {
      CareInput in = new CareInput(body);
      email = in.text("email", "メールアドレス", 254);
      name = in.text("name", "お名前", 60);
      relation = in.optionalText("relation", "続柄", 20);
      consentBy = in.optionalText("consentBy", "同意した方", 60);
      consentAt = in.optionalText("consentAt", "同意した日", 10);
      if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
        throw FamilyErrors.emailInvalid();
      }
      if (!RELATIONS.contains(relation)) {
        throw FamilyErrors.relationUnknown();
      }
      if (consentBy.isEmpty() || consentAt.isEmpty()) {
        throw FamilyErrors.consentRequired();
      }
      CareInput.date(consentAt, "同意した日");
    } catch (CodedException e) {
      family.patients().forMember(userId, patientId, "family.invite")
          .compose(member -> family.refused(userId, "family.invite", target, e)).onFailure(ctx::fail);
      return;
    }
    Instant now = family.now();
    String code = Secrets.retrievalNumber();
    String accountId = Secrets.id();
    // The activation code is shown once, like initial credentials: it is not kept for a retry of the
    // request's key (a lost answer is met with a new code through recovery, never with the stored one).
    Function<FamilyAccount, JsonObject> answer = account -> account.forTeam().put("activationCode", code)
        .put("activationExpiresAt", now.plus(family.activationFor()).toString());
    family.patients().forMember(userId, patientId, "family.invite").compose(patient ->
        family.services().database().write(c -> {
          if (family.notices().replica(c, patientId)) {
            throw FamilyErrors.homeNodeOnly();
          }
          String loginId = newLoginId(c);
          FamilyAccount account = new FamilyAccount(accountId, patientId, loginId, email, name, relation, consentBy,
              consentAt, userId, now.toString(), "invited", Optional.empty(), Optional.empty(), 0, 0,
              Optional.empty(), Optional.empty());
          FamilySql.insertAccount(c, account, Secrets.sha256(code), now.plus(family.activationFor()).toString());
          family.audit().append(c, AuditEvent.success(userId, "family.invited", target, new JsonObject()
              .put("account", accountId).put("relation", relation).put("consentBy", consentBy)
              .put("consentAt", consentAt)));
          return account;
        }).map(account -> {
          mail(ctx, account, patient.name(), code);
          return account;
        })).recover(e -> e instanceof CodedException coded && "family.home_node_only".equals(coded.code())
            ? family.<FamilyAccount>refused(userId, "family.invite", target, coded) : Future.failedFuture(e))
        .onSuccess(account -> Answers.createdOnce(ctx, answer.apply(account)))
        .onFailure(ctx::fail);
  }

  /** A login id a family member can type on a phone: eight digits, never reused. */
  private static String newLoginId(java.sql.Connection c) throws java.sql.SQLException {
    String id;
    do {
      id = String.format("%08d", new java.security.SecureRandom().nextInt(100_000_000));
    } while (FamilySql.loginIdTaken(c, id));
    return id;
  }

  /** The invitation by mail when the node sends mail; the team hands the code over in person either way. */
  private void mail(RoutingContext ctx, FamilyAccount account, String patientName, String code) {
    if (family.mailer().configured()) {
      family.mailer().send(ctx.vertx(), List.of(new Mailer.Mail(account.email(), "ここのーとへのご招待",
          account.displayName() + " 様\n\n" + patientName + " 様の支援チームから、ここのーと（家族ノート）へのご招待です。\n"
              + "ログインID: " + account.loginId() + "\n登録コード: " + code + "\n\n登録コードの有効期限は14日です。")));
    }
  }

  private void accounts(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    family.patients().forMember(userId, patientId, "family.accounts.read")
        .compose(p -> family.services().database().read(c -> {
          List<JsonObject> accounts = new java.util.ArrayList<>();
          for (FamilyAccount account : FamilySql.ofPatient(c, patientId)) {
            // The team sees whether the account logs in with a passkey, as it sees its last login.
            accounts.add(account.forTeam().put("passkeys", PasskeySql.countOfAccount(c, account.id())));
          }
          return accounts;
        }))
        .compose(list -> family.audit().record(AuditEvent.success(userId, "family.accounts.read",
            FamilyContext.patientTarget(patientId), null)).map(list))
        .onSuccess(list -> ctx.json(new JsonObject().put("accounts", new JsonArray(list))))
        .onFailure(ctx::fail);
  }

  private void recover(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    String accountId = ctx.pathParam("accountId");
    String target = FamilyContext.patientTarget(patientId);
    Instant now = family.now();
    String code = Secrets.retrievalNumber();
    family.patients().forMember(userId, patientId, "family.recovery").compose(p ->
        family.services().database().write(c -> {
          Optional<FamilyAccount> account = FamilySql.byId(c, accountId).filter(a -> a.patientId().equals(patientId)
              && !"revoked".equals(a.status()));
          if (account.isPresent()) {
            FamilySql.reissue(c, accountId, Secrets.sha256(code), now.plus(family.activationFor()).toString());
            family.audit().append(c, AuditEvent.success(userId, "family.recovered", target,
                new JsonObject().put("account", accountId)));
          }
          return account;
        })).compose(account -> account.isPresent() ? Future.succeededFuture(account.get())
            : family.<FamilyAccount>refused(userId, "family.recovery", target, FamilyErrors.notFound()))
        .onSuccess(account -> ctx.json(new JsonObject().put("loginId", account.loginId()).put("activationCode", code)))
        .onFailure(ctx::fail);
  }

  /** Ends a family account's access for good (a new invitation makes a new account). */
  private void revoke(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    String accountId = ctx.pathParam("accountId");
    String target = FamilyContext.patientTarget(patientId);
    family.patients().forMember(userId, patientId, "family.revoke").compose(p ->
        family.services().database().write(c -> {
          Optional<FamilyAccount> account = FamilySql.byId(c, accountId).filter(a -> a.patientId().equals(patientId));
          if (account.isPresent()) {
            FamilySql.revoke(c, accountId);
            family.audit().append(c, AuditEvent.success(userId, "family.revoked", target,
                new JsonObject().put("account", accountId)));
          }
          return account;
        })).compose(account -> account.isPresent() ? Future.succeededFuture(account.get())
            : family.<FamilyAccount>refused(userId, "family.revoke", target, FamilyErrors.notFound()))
        .onSuccess(account -> ctx.json(new JsonObject().put("id", accountId).put("status", "revoked")))
        .onFailure(ctx::fail);
  }

  private void entries(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    family.patients().forMember(userId, patientId, "family.entries.read")
        .compose(p -> family.services().database().read(c -> NotebookRoutes.entriesJson(c, patientId)))
        .compose(json -> family.audit().record(AuditEvent.success(userId, "family.entries.read",
            FamilyContext.patientTarget(patientId), null)).map(json))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
