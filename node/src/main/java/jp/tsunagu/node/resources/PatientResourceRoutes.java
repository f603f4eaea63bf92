package jp.tsunagu.node.resources;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.reference.PostalAddress;
import jp.tsunagu.node.web.RouteSet;

/**
 * The 周辺資源 tab of a patient's page: published resources nearest the patient's home (their
 * registered address, geocoded) with the search filters, and the referrals made for the patient.
 * Only active members of the patient's care team get an answer; both reads are audited, since the
 * home address and the referrals are patient data.
 */
public final class PatientResourceRoutes implements RouteSet {

  private final ResourceService service;
  private final Geocoder geocoder;
  private final PortalSettings settings;
  private final PatientAccess patients;
  private final List<Handler<RoutingContext>> guards;

  public PatientResourceRoutes(ResourceService service, Geocoder geocoder, PortalSettings settings,
      PatientAccess patients, List<Handler<RoutingContext>> guards) {
    this.service = service;
    this.geocoder = geocoder;
    this.settings = settings;
    this.patients = patients;
    this.guards = List.copyOf(guards);
  }

  @Override
  public void mountApi(Router api) {
    Guards.on(api.get("/patients/:id/nearby-resources"), guards).handler(this::nearby);
    Guards.on(api.get("/patients/:id/referrals"), guards).handler(this::referrals);
  }

  private void nearby(RoutingContext ctx) {
    String reader = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("id");
    SearchQuery filters = SearchQuery.from(ctx.queryParams());
    int limit = ReferralRoutes.limit(ctx.queryParams().get("limit"));
    // The read of the home address is audited before it goes to the geocoder, whatever the answer.
    patients.forMember(reader, patientId, "patient.nearby_resources")
        .compose(patient -> service.audited(AuditEvent.success(reader, "patient.nearby_resources",
            "patient:" + patientId, new JsonObject()), patient))
        .compose(patient -> geocoder.locate(ctx.vertx(),
            PostalAddress.withMunicipality(patient.municipalityCode(), patient.address())).compose(home ->
            service.catalog().map(catalog -> ReferralRoutes.nearby(catalog, service.partners(),
                new Geocoder.Place(home.point(), "ご自宅（" + patient.address() + "）"), filters, limit, settings)
                .put("patient", new JsonObject().put("id", patient.id()).put("name", patient.name())))))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void referrals(RoutingContext ctx) {
    String reader = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("id");
    patients.forMember(reader, patientId, "patient.referrals").compose(patient -> service.referralsFor(patientId))
        .compose(list -> list.isEmpty() ? Future.succeededFuture(new JsonObject().put("referrals", new JsonArray()))
            : service.all().map(all -> json(list, all.stream().collect(Collectors.toMap(Resource::id,
                Function.identity())))))
        .compose(json -> service.audited(AuditEvent.success(reader, "patient.referrals", "patient:" + patientId,
            new JsonObject().put("count", json.getJsonArray("referrals").size())), json))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static JsonObject json(List<Referral> referrals, Map<String, Resource> resources) {
    JsonArray items = new JsonArray();
    for (Referral referral : referrals) {
      JsonArray introduced = new JsonArray();
      referral.resourceIds().stream().map(resources::get).filter(java.util.Objects::nonNull).forEach(r ->
          introduced.add(new JsonObject().put("id", r.id()).put("name", r.name())));
      referral.partnerItems().forEach(p -> introduced.add(new JsonObject().put("id", p.resourceId())
          .put("partner", p.node()).put("name", p.name())));
      items.add(new JsonObject().put("id", referral.id()).put("createdAt", referral.createdAt().toString())
          .put("referrerName", referral.referrerName()).put("referrerOrganization", referral.referrerOrganization())
          .put("comment", referral.comment()).put("resources", introduced)
          .put("sheet", "/api/v1/referrals/" + referral.id() + "/sheet")
          .put("pdf", "/api/v1/referrals/" + referral.id() + "/pdf"));
    }
    return new JsonObject().put("referrals", items);
  }
}
