package jp.tsunagu.node.family;

import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Predicate;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.care.FamilySharing;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.meetings.Meetings;
import jp.tsunagu.node.web.RouteSet;

/**
 * ここのーと, the family notebook, and the patient's own access report. Family accounts live on the
 * patient's home node only and log in through their own door (a passkey, or password and TOTP), with
 * a session that reaches nothing but the notebook; the team plans the visits (訪問予定) the notebook
 * shows. Uses care only through what it publishes: membership ({@link PatientAccess}), timeline
 * notices ({@link TimelineNotices}, whose team events also carry a photo added to an entry later) and
 * the posts a member shared with the family ({@link FamilySharing}); and from meetings, those the
 * family is invited to and its 出欠 ({@link Meetings#invitingFamily}, {@link Meetings#answerForFamily}).
 */
public final class FamilyFeature implements NodeFeature {

  private final FamilyContext family;
  private final FamilyPhotoEvents photoEvents;
  private final VisitEvents visitEvents;
  private final List<RouteSet> routes;
  private final PartnerReads partnerReads;
  private final AccessReadsAnswers accessReadsAnswers;

  /**
   * @param careTeam whether a node shares an active agreement with the {@code care-team} scope now: the
   *     partners asked for their reads of a patient's board, and the only homes whose questions are answered
   */
  public FamilyFeature(NodeServices services, PatientAccess patients, TimelineNotices notices,
      FamilySharing sharing, Meetings meetings, Federation federation, Predicate<String> careTeam) {
    this.family = FamilyContext.of(services, patients, notices, sharing, meetings);
    this.partnerReads = new PartnerReads(federation, careTeam);
    this.accessReadsAnswers = new AccessReadsAnswers(family, federation, careTeam);
    this.photoEvents = new FamilyPhotoEvents(notices);
    this.visitEvents = new VisitEvents(family);
    this.routes = List.of(new FamilySessions(family), new FamilyAuthRoutes(family), new PasskeyRoutes(family),
        new FamilyTeamRoutes(family), new VisitRoutes(family, visitEvents), new NotebookRoutes(family), new FamilyMeetingRoutes(family),
        new PhotoRoutes(family, photoEvents), new AccessReportRoutes(family, partnerReads), new SharedPostRoutes(family));
  }

  /** The partners' questions for their reads of a board homed at the asking node. */
  @Override
  public void mountFederation(Router router) {
    accessReadsAnswers.mount(router);
  }

  @Override
  public void close() {
    partnerReads.close();
  }

  @Override
  public String name() {
    return "family";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return routes;
  }

  /**
   * A photo added to an entry after its notice left travels to the team's partners on its own; planned
   * visits travel to them, and a partner's member plans and cancels hers through the home node.
   */
  @Override
  public List<jp.tsunagu.node.feature.TeamEventType> teamEventTypes() {
    List<jp.tsunagu.node.feature.TeamEventType> types = new java.util.ArrayList<>(List.of(photoEvents.type()));
    types.addAll(visitEvents.types());
    return types;
  }

  /** The visits planned before a partner first joined the team, sent to its copy. */
  @Override
  public List<jp.tsunagu.node.feature.BoardHistory> boardHistories() {
    return List.of(new VisitHistory(family, visitEvents));
  }

  @Override
  public void seedDemo() {
    FamilyDemo.seed(family);
  }

  /** The demo family's 訪問予定, planned once the demo's teams span two nodes (see {@link FamilyDemo}). */
  public void seedSharedTeams() {
    FamilyDemo.seedVisits(family, visitEvents);
  }
}
