package jp.tsunagu.node.federation;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.ProfessionalDirectory;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.User;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.DirectoryQuery;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.storage.SqlLike;

/**
 * The partner directory on the web listener: a logged-in professional searches the professionals of
 * every partner node that shares the {@code care-team} scope, to invite them to a team by their
 * federated id. The answer names the partners that did not answer. Every search is audited.
 */
public final class PartnerDirectoryApi implements RouteSet {

  private final Federation federation;
  private final PartnerDirectory directory;
  private final AuditLog audit;
  private final List<Handler<RoutingContext>> guards;

  /** {@code guards} must let only logged-in professionals through. */
  public PartnerDirectoryApi(Federation federation, List<Handler<RoutingContext>> guards) {
    this.federation = federation;
    this.directory = new PartnerDirectory(federation);
    this.audit = new AuditLog(federation.services().database(), federation.clock());
    this.guards = List.copyOf(guards);
  }

  @Override
  public void mountApi(Router api) {
    Route route = api.get("/partner-directory/professionals");
    guards.forEach(route::handler);
    route.handler(this::search);
  }

  private void search(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    String query;
    try {
      query = DirectoryQuery.require(ctx.request().getParam("q"));
    } catch (CodedException e) {
      ctx.fail(e);
      return;
    }
    FederatedId requester = new FederatedId(user.loginId(), federation.identity().name());
    directory.search(ctx.vertx(), requester, query).compose(answers -> {
      JsonObject detail = new JsonObject().put("query", query)
          .put("asked", new JsonArray(answers.stream().map(PartnerDirectory.PartnerAnswer::node).toList()))
          .put("unanswered", new JsonArray(answers.stream().filter(a -> a.problem().isPresent())
              .map(PartnerDirectory.PartnerAnswer::node).toList()))
          .put("results", answers.stream().mapToInt(a -> a.professionals().size()).sum());
      return audit.record(AuditEvent.success(user.id(), "directory.professionals.searched", "directory:partners",
          detail)).map(ignored -> answer(query, answers));
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static JsonObject answer(String query, List<PartnerDirectory.PartnerAnswer> answers) {
    JsonArray professionals = new JsonArray();
    JsonArray partners = new JsonArray();
    JsonArray unanswered = new JsonArray();
    for (PartnerDirectory.PartnerAnswer answer : answers) {
      JsonObject partner = partner(answer.partner());
      if (answer.problem().isPresent()) {
        unanswered.add(partner.put("problem", answer.problem().get()));
        continue;
      }
      partners.add(partner.copy().put("results", answer.professionals().size()));
      for (ProfessionalDirectory.Entry entry : answer.professionals()) {
        professionals.add(new JsonObject(entry.toJson()).mergeIn(partner));
      }
    }
    return new JsonObject().put("query", query).put("professionals", professionals).put("partners", partners)
        .put("unanswered", unanswered);
  }

  /** The partner as people know it: its network's name and its municipalities. */
  private static JsonObject partner(NodeCard card) {
    List<String> municipalities = card.profile().municipalities().stream().map(MunicipalityCode::value)
        .map(code -> ReferenceData.get().municipality(code).map(ReferenceData.Municipality::nameJa).orElse(code))
        .toList();
    return new JsonObject().put("node", card.profile().name()).put("nodeName", card.profile().displayName())
        .put("municipalities", String.join("・", municipalities));
  }
}
