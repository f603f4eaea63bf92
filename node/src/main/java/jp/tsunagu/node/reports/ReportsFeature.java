package jp.tsunagu.node.reports;

import java.time.YearMonth;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Predicate;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.UsageFigures;
import jp.tsunagu.node.web.RouteSet;

/**
 * レポート (分析／評価): 行政's usage report for evaluating the municipality's home-care collaboration
 * programme. It counts nothing itself: every feature publishes its figures as {@link UsageFigures}
 * (counts only) and the composition root hands this feature those of every feature the node runs.
 */
public final class ReportsFeature implements NodeFeature {

  private final NodeServices services;
  private final List<RouteSet> webRoutes;
  private final PactReports pact;
  private final StatisticsAnswers answers;

  /**
   * @param figures the figures every feature built before this one publishes
   * @param statisticsPartners whether a node shares an active agreement with the {@code statistics} scope
   *     now: the partners a pact report asks, and the only ones whose requests this node answers
   */
  public ReportsFeature(NodeServices services, List<UsageFigures> figures, Federation federation,
      Predicate<String> statisticsPartners) {
    this.services = services;
    AuditLog audit = new AuditLog(services.database(), services.clock());
    UsageReports reports = new UsageReports(services.database(), audit, services.clock(),
        services.config().node().municipalities(), figures, new GeneratedUsage());
    this.pact = new PactReports(federation, statisticsPartners, reports, audit);
    this.answers = new StatisticsAnswers(services.database(), audit, federation, statisticsPartners, reports);
    this.webRoutes = List.of(new ReportsRoutes(reports, pact));
  }

  @Override
  public void mountFederation(Router router) {
    answers.mount(router);
  }

  @Override
  public void close() {
    pact.close();
  }

  @Override
  public String name() {
    return "reports";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return webRoutes;
  }

  /** A year of generated usage before the current month (aggregate rows, so the demo starts in seconds). */
  @Override
  public void seedDemo() {
    YearMonth current = YearMonth.now(services.clock().withZone(ReportPeriod.ZONE));
    services.database().submitWrite(c -> {
      GeneratedUsage.seed(c, services.config().node().name(), services.config().node().municipalities(), current);
      return null;
    }).join();
  }
}
