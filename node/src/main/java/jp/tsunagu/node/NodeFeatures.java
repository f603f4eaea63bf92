package jp.tsunagu.node;

import io.vertx.core.Deployable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.care.CareFeatures;
import jp.tsunagu.node.federation.AgreementAdminRoutes;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.FederationVerticle;
import jp.tsunagu.node.federation.PartnerDirectoryApi;
import jp.tsunagu.node.federation.PartnerResourceAdminRoutes;
import jp.tsunagu.node.federation.PartnerResourceSync;
import jp.tsunagu.node.federation.PartnerResourceSyncVerticle;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.AccountAdminRoutes;
import jp.tsunagu.node.identity.IdentityFeatures;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.resources.ResourcesFeature;
import jp.tsunagu.node.sync.Sync;
import jp.tsunagu.node.sync.SyncVerticle;
import jp.tsunagu.node.web.Feature;
import jp.tsunagu.node.web.NodeInfoRoutes;

/**
 * The one place that lists what a node runs: the features on its web listener, the features on its
 * admin listener, and its other verticles (such as the federation listener). A new feature is one
 * line here.
 */
final class NodeFeatures {

  private NodeFeatures() {}

  /** Features on the HTTPS listener for people (API under {@code /api/v1}, pages at the root). */
  static List<Feature> web(NodeServices services) {
    List<Feature> features = new ArrayList<>();
    features.addAll(IdentityFeatures.create(services));
    features.addAll(CareFeatures.create(services));
    features.add(new NodeInfoRoutes(services));
    features.add(new PartnerDirectoryApi(Federation.of(services),
        List.of(AccessGuard.roles(Role.PROFESSIONAL, Role.FACILITY_ADMIN))));
    features.addAll(ResourcesFeature.web(services,
        List.of(AccessGuard.roles(Role.MUNICIPAL_STAFF), AccessGuard::csrf),
        List.of(AccessGuard.roles(Role.PROFESSIONAL, Role.FACILITY_ADMIN, Role.MUNICIPAL_STAFF), AccessGuard::csrf)));
    return features;
  }

  /** Features on the loopback admin listener (API under {@code /admin/v1}). */
  static List<Feature> admin(NodeServices services) {
    List<Feature> features = new ArrayList<>();
    features.add(new AgreementAdminRoutes(Federation.of(services)));
    features.add(new PartnerResourceAdminRoutes(PartnerResourceSync.of(services)));
    features.add(AccountAdminRoutes.create(services));
    return features;
  }

  /** Further verticles, each deployed once (e.g. the federation listener). */
  static List<Supplier<Deployable>> verticles(NodeServices services) {
    List<Supplier<Deployable>> verticles = new ArrayList<>();
    Sync sync = Sync.of(services);
    verticles.add(() -> new FederationVerticle(Federation.of(services), List.of(sync::mountRoutes)));
    verticles.add(() -> new SyncVerticle(sync));
    verticles.add(() -> new PartnerResourceSyncVerticle(PartnerResourceSync.of(services)));
    return verticles;
  }
}
