package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.EmergencyRequest;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.identity.User;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * Emergency access across municipal borders, the responder's side: a 救急・消防 account of this node
 * searches the residents of partner municipalities (one named partner, or every partner with the
 * {@code emergency-access} scope) and opens one, stating the reason and the 出場番号 as for a local
 * patient. This node signs each request for its responder; the home node decides, answers with the
 * limited view and tells the patient's team. Both nodes audit; the view is marked with the home
 * municipality.
 */
final class AcrossBordersRoutes implements RouteSet {

  private final EmergencyContext emergency;
  private final PartnerCalls partners;

  AcrossBordersRoutes(EmergencyContext emergency, PartnerCalls partners) {
    this.emergency = emergency;
    this.partners = partners;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/emergency/partner-searches").handler(AccessRoutes.RESPONDERS).handler(AccessGuard::csrf)
        .handler(this::search);
    emergency.services().idempotency().guard(api.post("/emergency/partner-accesses")
        .handler(AccessRoutes.RESPONDERS).handler(AccessGuard::csrf)).handler(this::open);
    api.get("/emergency/partner-accesses/:accessId").handler(AccessRoutes.RESPONDERS).handler(this::view);
  }

  /**
   * The view of the caller's own access on a partner's patient, while it lasts here (30 minutes from
   * opening, whatever the home node's clock says): read again from the home node, which checks its own
   * expiry and that the same responder asks. Past it: {@code 404 emergency.access_expired}.
   */
  private void view(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    String accessId = ctx.pathParam("accessId");
    String target = "emergency_partner_access:" + accessId;
    Instant now = emergency.now();
    emergency.services().database().read(c -> {
      PartnerSql.PartnerAccess access = PartnerSql.byId(c, accessId).filter(a -> a.responderId().equals(user.id()))
          .orElseThrow(EmergencyErrors::notFound);
      if (!now.isBefore(Instant.parse(access.expiresAt()))) {
        throw EmergencyErrors.expired();
      }
      return access;
    }).compose(access -> {
      NodeCard home = partners.partner(access.node()).orElseThrow(PartnerErrors::partnerUnknown);
      return partners.view(ctx.vertx(), home, new EmergencyRequest(UUID.randomUUID().toString(), local(),
          new FederatedId(user.loginId(), local()), Role.EMERGENCY_RESPONDER.code(), user.displayName(),
          access.reason(), access.dispatchNumber(), EmergencyRequest.VIEW, "", Map.of(), now,
          access.remoteAccessId())).map(view -> view.copy()
          .put("access", view.getJsonObject("access", new JsonObject()).copy().mergeIn(access.toJson())
              .put("responder", user.displayName()))
          .put("home", HomeMunicipality.of(home)));
    }).recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
        ? emergency.refused(user.id(), "emergency.partner.access.view", target, coded) : Future.failedFuture(e))
        .compose(view -> emergency.audit().record(AuditEvent.success(user.id(), "emergency.partner.access.viewed",
            target, new JsonObject().put("node", view.getJsonObject("home").getString("node")))).map(ignored -> view))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private String local() {
    return emergency.services().config().node().name();
  }

  /** What every request states besides its terms: why, and under which 出場番号. */
  private record Purpose(String reason, String dispatchNumber) {

    static Purpose of(JsonObject body) {
      CareInput in = new CareInput(body);
      String reason = in.optionalText("reason", "閲覧の理由", 200);
      String dispatch = in.optionalText("dispatchNumber", "出場番号", 20);
      if (reason.isEmpty()) {
        throw EmergencyErrors.reasonRequired();
      }
      if (dispatch.isEmpty()) {
        throw EmergencyErrors.dispatchNumberRequired();
      }
      return new Purpose(reason, dispatch);
    }
  }

  /**
   * Asks the named partner, or every partner, at once; one that refuses or does not answer is listed
   * with its code and shows nobody (a search too broad there lists none, as here).
   */
  private void search(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    JsonObject body = JsonBodies.required(ctx);
    List<NodeCard> asked;
    Purpose purpose;
    PatientSearch query;
    try {
      query = PatientSearch.from(body);
      purpose = Purpose.of(body);
      asked = chosen(body);
    } catch (CodedException e) {
      emergency.refused(user.id(), "emergency.partner.search", "partners", e).onFailure(ctx::fail);
      return;
    }
    Map<String, String> terms = terms(body);
    List<Future<Asked>> answers = asked.stream().map(home -> partners.search(ctx.vertx(), home,
        request(user, purpose, EmergencyRequest.SEARCH, "", terms)).map(answer -> new Asked(home, answer, ""))
        .recover(e -> Future.succeededFuture(new Asked(home, new JsonObject(),
            e instanceof CodedException coded ? coded.code() : "emergency.partner_unavailable")))).toList();
    Future.all(answers).compose(all -> {
      JsonObject result = merged(answers.stream().map(Future::result).toList());
      return emergency.audit().record(AuditEvent.success(user.id(), "emergency.partner.search", "partners",
          new JsonObject().put("by", query.by()).put("reason", purpose.reason())
              .put("dispatchNumber", purpose.dispatchNumber())
              .put("asked", new JsonArray(asked.stream().map(card -> card.profile().name()).toList()))
              .put("patients", new JsonArray(result.getJsonArray("patients").stream()
                  .map(p -> ((JsonObject) p).getString("node") + "/" + ((JsonObject) p).getString("id")).toList()))))
          .map(ignored -> result);
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** One partner's answer to a search, or the code of why there is none. */
  private record Asked(NodeCard home, JsonObject answer, String problem) {}

  /** The people found, each marked with their home municipality; the partners that answered and not. */
  private static JsonObject merged(List<Asked> answers) {
    JsonArray people = new JsonArray();
    JsonArray answered = new JsonArray();
    JsonArray unanswered = new JsonArray();
    for (Asked asked : answers) {
      JsonObject home = HomeMunicipality.of(asked.home());
      if (!asked.problem().isEmpty()) {
        unanswered.add(home.put("problem", asked.problem()));
        continue;
      }
      JsonArray found = asked.answer().getJsonArray("patients", new JsonArray());
      answered.add(home.copy().put("results", found.size()));
      found.forEach(p -> people.add(((JsonObject) p).copy().put("home", home)
          .put("node", home.getString("node"))));
    }
    return new JsonObject().put("patients", people).put("partners", answered).put("unanswered", unanswered);
  }

  /**
   * Opens a partner's patient: the home node's answer is the view; this node keeps the access (whose
   * record, why, until when) and audits it, and shows the view marked with the home municipality as
   * this node's agreements name it.
   */
  private void open(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    JsonObject body = JsonBodies.required(ctx);
    String patientId = body.getValue("patientId") instanceof String id ? id : "";
    String node = body.getValue("node") instanceof String n ? n : "";
    String target = "partner_patient:" + node + "/" + patientId;
    Purpose purpose;
    NodeCard home;
    try {
      purpose = Purpose.of(body);
      if (patientId.isBlank()) {
        throw EmergencyErrors.notFound();
      }
      home = partners.partner(node).orElseThrow(PartnerErrors::partnerUnknown);
    } catch (CodedException e) {
      emergency.refused(user.id(), "emergency.partner.access.open", target, e).onFailure(ctx::fail);
      return;
    }
    Instant now = emergency.now();
    Answers.keepWithCreate(ctx);
    partners.open(ctx.vertx(), home, request(user, purpose, EmergencyRequest.OPEN, patientId, Map.of()))
        .recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
            ? emergency.refused(user.id(), "emergency.partner.access.open", target, coded) : Future.failedFuture(e))
        .compose(view -> kept(user, home, patientId, purpose, view, now))
        .onSuccess(view -> Answers.created(ctx, view)).onFailure(ctx::fail);
  }

  private Future<JsonObject> kept(User user, NodeCard home, String patientId, Purpose purpose, JsonObject view,
      Instant now) {
    JsonObject remote = view.getJsonObject("access", new JsonObject());
    PartnerSql.PartnerAccess access = new PartnerSql.PartnerAccess(CareIds.next(), user.id(), home.profile().name(),
        remote.getString("id", ""), patientId, purpose.reason(), purpose.dispatchNumber(), EmergencyContext.stamp(now),
        EmergencyContext.stamp(now.plus(emergency.accessFor())));
    return emergency.services().database().write(c -> {
      PartnerSql.insert(c, access);
      emergency.audit().append(c, AuditEvent.success(user.id(), "emergency.partner.access.opened",
          "partner_patient:" + access.node() + "/" + patientId, new JsonObject().put("node", access.node())
              .put("access", access.id()).put("homeAccess", access.remoteAccessId()).put("reason", access.reason())
              .put("dispatchNumber", access.dispatchNumber()).put("expiresAt", access.expiresAt())));
      return view.copy().put("access", remote.copy().mergeIn(access.toJson()).put("responder", user.displayName()))
          .put("home", HomeMunicipality.of(home));
    });
  }

  /** Every partner with the scope, or the one the responder picked (refused when it has no such scope). */
  private List<NodeCard> chosen(JsonObject body) {
    String node = body.getValue("node") instanceof String n ? n.strip() : "";
    if (!node.isEmpty()) {
      return List.of(partners.partner(node).orElseThrow(PartnerErrors::partnerUnknown));
    }
    List<NodeCard> all = partners.partners();
    if (all.isEmpty()) {
      throw PartnerErrors.partnerUnknown();
    }
    return all;
  }

  /** The terms as typed; the home node checks them by the same rules as this node did. */
  private static Map<String, String> terms(JsonObject body) {
    Map<String, String> terms = new java.util.TreeMap<>();
    for (String key : List.of("name", "birthDate", "phone", "address")) {
      if (body.getValue(key) instanceof String text && !text.isBlank()) {
        terms.put(key, text);
      }
    }
    return terms;
  }

  private EmergencyRequest request(User user, Purpose purpose, String action, String patientId,
      Map<String, String> terms) {
    String local = emergency.services().config().node().name();
    return new EmergencyRequest(UUID.randomUUID().toString(), local, new FederatedId(user.loginId(), local),
        Role.EMERGENCY_RESPONDER.code(), user.displayName(), purpose.reason(), purpose.dispatchNumber(), action,
        patientId, terms, emergency.now(), "");
  }
}
