package jp.tsunagu.node.emergency;

import java.util.List;
import jp.tsunagu.node.care.EmergencyRecords;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.web.RouteSet;

/**
 * 救急情報連携 and 人生会議 on this node: the team's advance care plan and medical facts on the patient
 * page, the 救急・消防 accounts' time-limited emergency access, and 行政's review of every access. Reads
 * and writes patients only through what care publishes ({@link EmergencyRecords}).
 */
public final class EmergencyFeature implements NodeFeature {

  private final EmergencyContext emergency;
  private final List<RouteSet> routes;

  public EmergencyFeature(NodeServices services, EmergencyRecords records) {
    this.emergency = EmergencyContext.of(services, records);
    this.routes = List.of(new AcpRoutes(emergency), new AccessRoutes(emergency), new ReviewRoutes(emergency),
        new HandoverRoutes(emergency), new HandoverOpenRoutes(emergency), new HandoverReviewRoutes(emergency));
  }

  @Override
  public String name() {
    return "emergency";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return routes;
  }

  @Override
  public void seedDemo() {
    EmergencyDemo.seed(emergency);
  }
}
