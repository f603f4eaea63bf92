package jp.tsunagu.node.family;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.YearMonth;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.web.RouteSet;

/**
 * The patient's own access report, to the family account (or the patient's own account) only: one
 * month on the screen, or printed as a PDF for a patient without a phone. Reading it is audited too.
 */
final class AccessReportRoutes implements RouteSet {

  private final FamilyContext family;
  private final PartnerReads partners;

  AccessReportRoutes(FamilyContext family, PartnerReads partners) {
    this.family = family;
    this.partners = partners;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/family/access-report").handler(FamilySessions::requireCaller).handler(ctx -> report(ctx, false));
    api.get("/family/access-report/pdf").handler(FamilySessions::requireCaller).handler(ctx -> report(ctx, true));
  }

  private void report(RoutingContext ctx, boolean pdf) {
    FamilyAccount account = FamilySessions.caller(ctx).account();
    String actor = FamilyContext.actor(account.id());
    String target = FamilyContext.patientTarget(account.patientId());
    YearMonth month;
    try {
      month = AccessReport.month(ctx.request().getParam("month"));
    } catch (CodedException e) {
      family.refused(actor, "family.access_report.read", target, e).onFailure(ctx::fail);
      return;
    }
    String localNode = family.services().config().node().name();
    family.services().database().read(c -> AccessReport.build(c, family.notices(), localNode, account.patientId(),
            month))
        .compose(report -> partners.merged(ctx.vertx(), account.patientId(), month, report))
        .compose(report -> family.audit().record(AuditEvent.success(actor, "family.access_report.read", target,
            new JsonObject().put("month", month.toString()).put("printed", pdf))).map(report))
        .compose(report -> pdf ? ctx.vertx().executeBlocking(() -> AccessReportPdf.render(
            JapanesePdfFont.find(JapanesePdfFont.systemFonts()), report), false)
            .onSuccess(bytes -> ctx.response().putHeader("Content-Type", "application/pdf")
                .putHeader("Content-Disposition", "attachment; filename=\"access-report-" + month + ".pdf\"")
                .end(io.vertx.core.buffer.Buffer.buffer(bytes))).mapEmpty()
            : io.vertx.core.Future.succeededFuture().onSuccess(v -> ctx.json(report)).mapEmpty())
        .onFailure(ctx::fail);
  }
}
