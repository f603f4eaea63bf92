package jp.tsunagu.node.review;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.forms.DoctorOpinions;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.PeriodicJob;
import jp.tsunagu.node.identity.Professionals;
import jp.tsunagu.node.meetings.Meetings;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.review.partner.DeliveryTimer;
import jp.tsunagu.node.review.partner.EndedAgreements;
import jp.tsunagu.node.review.partner.PartnerCopies;
import jp.tsunagu.node.review.partner.PartnerNotices;
import jp.tsunagu.node.review.partner.PartnerOpinions;
import jp.tsunagu.node.review.partner.PartnerDeliveries;
import jp.tsunagu.node.review.partner.PartnerExchange;
import jp.tsunagu.node.review.partner.PartnerReaderRoutes;
import jp.tsunagu.node.review.partner.PartnerReviewers;
import jp.tsunagu.node.review.partner.PartnerSender;
import jp.tsunagu.node.web.RouteSet;

/**
 * 介護認定電子審査会 (the care-need certification review board, online): 合議体管理 and 審査会作成管理
 * for the 審査会事務局; 事前審査 for the 審査委員, who see cases under labels and never who the applicant
 * is; 結果集約 and the 二次判定 for the 合議体長; the result list for the insurance system; and the
 * deletion of materials and opinions a configured number of days after the result is confirmed.
 * Materials are kept in a store of their own beside the database ({@code review/attachments}), so the
 * deletion can remove each file without asking what else names it.
 */
public final class ReviewFeature implements NodeFeature {

  private final NodeServices services;
  private final List<RouteSet> routes;
  private final ReviewDeletion deletion;
  private final PartnerExchange exchange;
  private final PartnerSender sender;
  private final ReviewNotices notices;
  private final PartnerNotices partnerNotices;
  private final PartnerDeliveries deliveries;
  private final PartnerPackages packages;
  private final Panels panels;
  private final Sessions sessions;
  private final Materials materials;
  private final PreReview preReview;
  private final Results results;
  private final Professionals professionals;
  private final AttachmentFiles files;
  private final jp.tsunagu.node.meetings.VideoLinks videoLinks;
  private final StampedCopies stamped;
  private final PartnerCopies copies;
  private final Federation federation;
  private final Predicate<String> reviewPartners;

  /**
   * @param professionals this node's professionals (reviewers are appointed from them)
   * @param meetings the meetings feature (a session's video link is issued as a meeting's is)
   * @param federation this node's federation (the exchange with partner reviewers' nodes)
   * @param reviewPartners whether a node shares an active agreement with the {@code certification-review}
   *     scope now: the only partners whose professionals may be appointed 審査委員
   * @param opinions care's 主治医意見書 forms (taken, with consent, in place of an upload)
   */
  public ReviewFeature(NodeServices services, Professionals professionals, Meetings meetings,
      Federation federation, Predicate<String> reviewPartners, DoctorOpinions opinions) {
    this.services = services;
    AuditLog audit = new AuditLog(services.database(), services.clock());
    ReviewAccess access = new ReviewAccess(services.config().node().name(), audit);
    this.professionals = professionals;
    this.videoLinks = meetings.videoLinks();
    this.files = new AttachmentFiles(services.config().dataDir().resolve("review"));
    this.panels = new Panels(services, audit, professionals,
        new PartnerReviewers(services.config().node().name(), reviewPartners, audit));
    this.sessions = new Sessions(services, audit, access, meetings.videoLinks());
    this.stamped = new StampedCopies(StampedCopies.DEFAULT_BYTES, StampedCopies.DEFAULT_KEEP);
    this.materials = new Materials(services, audit, access, files, opinions, stamped);
    this.preReview = new PreReview(services, audit, access);
    this.results = new Results(services, audit, access);
    this.sender = new PartnerSender(federation, reviewPartners, audit);
    this.deliveries = new PartnerDeliveries(services.database(), audit);
    PartnerViews views = new PartnerViews(services.database(), access, sender);
    this.packages = new PartnerPackages(services.database(), files, sender, deliveries, views);
    sessions.onRelease(packages::queue);
    preReview.onOpinion(packages::opinionRecorded, packages::afterOpinion);
    this.deletion = new ReviewDeletion(services, audit, files, packages, stamped);
    this.federation = federation;
    this.reviewPartners = reviewPartners;
    this.copies = new PartnerCopies(services.database(), audit, new AttachmentFiles(services.config()
        .dataDir().resolve("review-partner")), professionals, services.clock());
    jp.tsunagu.node.identity.Mailer mailer = new jp.tsunagu.node.identity.Mailer(services.config().mail());
    this.partnerNotices = new PartnerNotices(services.database(), audit, professionals, mailer, services.clock(),
        services.config().webUrl());
    PartnerOpinions partnerOpinions = new PartnerOpinions(services.database(), audit, professionals, federation,
        reviewPartners);
    // Her opinion is answered with the opinions she may now see, signed, so her screen shows them at once.
    this.exchange = new PartnerExchange(federation, reviewPartners, copies, (node, reviewer, session, kase, body) ->
        preReview.submitFromPartner(node, reviewer, session, kase, body).compose(json -> views.signed(node, reviewer,
            session).map(view -> view.map(v -> json.copy().put("view", v)).orElse(json))),
        partnerOpinions, partnerNotices, audit);
    this.notices = new ReviewNotices(services, audit, access, professionals, mailer);
    this.routes = List.of(new SecretariatRoutes(panels, sessions, materials, results, notices,
        services.idempotency(), services.config().limits().uploadBytes(), packages,
        new FormPicker(services, audit, access, opinions)),
        new ReviewerRoutes(preReview, materials, results),
        new PartnerReaderRoutes(copies, sender, partnerOpinions, audit, PreReview.reasons()));
  }

  /** The stamped copies kept in memory (a test looks at what is held). */
  StampedCopies stampedCopies() {
    return stamped;
  }

  /** Runs the deletion now (the verticle runs it every quarter hour; a test chooses the time). */
  public io.vertx.core.Future<Integer> deleteDue(Vertx vertx) {
    return deletion.sweep(vertx).map(ReviewDeletion.Swept::files);
  }

  /** Sends the reviewers' notices and reminders due at {@code now} (the job runs it every five minutes). */
  public io.vertx.core.Future<Integer> sendNotices(Vertx vertx, java.time.Instant now) {
    return notices.sendDue(vertx, now);
  }

  /** Mails the partner reviewers of this node what is due at {@code now} (the job runs it every five minutes). */
  public io.vertx.core.Future<Integer> sendPartnerNotices(Vertx vertx, java.time.Instant now) {
    return partnerNotices.sendDue(vertx, now);
  }

  @Override
  public void seedDemo() {
    ReviewDemo.seed(services, professionals, files, videoLinks);
  }

  /**
   * The demo's partner reviewer: a professional of {@code partnerNode} (which must share the demo's
   * agreement, granting {@code certification-review}) takes the fifth seat of the demo panel here, and the
   * released session's package is sent to her node now. Answers the partner's code for each package sent
   * ({@code ok} when her node stored it); empty on a node without the demo panel or when all was delivered.
   */
  public java.util.List<String> seedPartnerDemo(Vertx vertx, String partnerNode, String userId, String displayName,
      String qualification) {
    ReviewDemo.seatPartner(services, packages, partnerNode, userId, displayName, qualification);
    try {
      return packages.deliverDue(vertx).await(60, java.util.concurrent.TimeUnit.SECONDS).stream()
          .map(jp.tsunagu.node.review.partner.PartnerDeliveries.Sent::code).toList();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the demo's partner package was not delivered within 60 s", e);
    }
  }

  @Override
  public void close() {
    sender.close();
  }

  @Override
  public void mountFederation(io.vertx.ext.web.Router router) {
    exchange.mount(router);
  }

  @Override
  public String name() {
    return "review";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return routes;
  }

  @Override
  public List<Supplier<Deployable>> verticles() {
    // Deletion a minute after start, then every quarter hour; notices and reminders every five minutes, to
    // this node's reviewers and to its professionals on partners' panels; partner deliveries when due.
    return List.of(() -> new PeriodicJob("review deletion", 60_000, 15 * 60_000, deletion::sweep),
        () -> new PeriodicJob("review notices", 30_000, 5 * 60_000, notices::sendDueNow),
        () -> new PeriodicJob("review partner notices", 40_000, 5 * 60_000, partnerNotices::sendDueNow),
        () -> new DeliveryTimer(deliveries::nextDue, packages::deliverDue, services.clock()),
        // Partners' review copies held here go when no agreement with their home grants the scope.
        () -> new EndedAgreements(copies, federation, reviewPartners));
  }
}
