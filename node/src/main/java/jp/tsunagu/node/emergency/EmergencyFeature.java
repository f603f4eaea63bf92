package jp.tsunagu.node.emergency;

import io.vertx.core.Deployable;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import jp.tsunagu.node.care.EmergencyRecords;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.web.RouteSet;

/**
 * 救急情報連携 and 人生会議 on this node: the team's advance care plan and medical facts on the patient
 * page, the 救急・消防 accounts' time-limited emergency access, and 行政's review of every access. Reads
 * and writes patients only through what care publishes ({@link EmergencyRecords}).
 */
public final class EmergencyFeature implements NodeFeature {

  private final EmergencyContext emergency;
  private final List<RouteSet> routes;
  private final PartnerCalls partners;
  private final HomeNodeRoutes homeNode;

  /**
   * {@code emergencyPartners} tells whether a node shares an active agreement with the
   * {@code emergency-access} scope now: the partners this node's responders may ask, and the only
   * ones whose responders it answers. {@code consents} says whether a patient consented to sharing.
   */
  public EmergencyFeature(NodeServices services, EmergencyRecords records, SharingConsents consents,
      Federation federation, Predicate<String> emergencyPartners) {
    this.emergency = EmergencyContext.of(services, records, consents);
    this.partners = new PartnerCalls(federation, emergencyPartners);
    this.homeNode = new HomeNodeRoutes(emergency, federation,
        new PartnerRequestPolicy(emergency, federation, emergencyPartners));
    this.routes = List.of(new AcpRoutes(emergency), new AccessRoutes(emergency), new ReviewRoutes(emergency),
        new HandoverRoutes(emergency), new HandoverOpenRoutes(emergency), new HandoverReviewRoutes(emergency),
        new AcrossBordersRoutes(emergency, partners));
  }

  @Override
  public String name() {
    return "emergency";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return routes;
  }

  /** The pruning of partners' request ids once past the replay window. */
  @Override
  public List<Supplier<Deployable>> verticles() {
    return List.of(() -> new RequestPruning(emergency));
  }

  @Override
  public void mountFederation(Router router) {
    homeNode.mount(router);
  }

  @Override
  public void close() {
    partners.close();
  }

  @Override
  public void seedDemo() {
    EmergencyDemo.seed(emergency);
  }

  @Override
  public List<jp.tsunagu.node.feature.UsageFigures> usageFigures() {
    return List.of(new EmergencyFigures());
  }
}
