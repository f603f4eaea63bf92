package jp.tsunagu.node.vaccination;

import java.util.List;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.web.RouteSet;

/**
 * ワクチン接種管理記録 (vaccination records): each dose a patient is given at home, in a facility or at a
 * venue, recorded by a member of the patient's team on a phone or PC with the 予診, the photos of the
 * 接種券 and 予診票 and the observation afterwards; posted to the team's timeline and carried to the
 * partners of a shared team; per-vaccine statuses for the patient list and page; planning home
 * vaccination; and the report to 行政 with the national-record CSV.
 */
public final class VaccinationFeature implements NodeFeature {

  private final NodeServices services;
  private final PatientAccess patients;
  private final List<RouteSet> routes;
  private final DoseEvents events;
  private final DoseCorrections corrections;
  private final ReactionEvents reactions;
  private final Doses doses;
  private final TimelineNotices notices;

  /**
   * @param patients the node's patients, for members of their teams and for 行政's report
   * @param notices the care feature's notices on a patient's timeline (a dose's post and its photos)
   * @param districts the disaster feature's 地区, by which 行政's report counts the doses
   */
  public VaccinationFeature(NodeServices services, PatientAccess patients, TimelineNotices notices,
      jp.tsunagu.node.disaster.DistrictNames districts) {
    this.services = services;
    this.patients = patients;
    this.notices = notices;
    AuditLog audit = new AuditLog(services.database(), services.clock());
    Vaccines vaccines = new Vaccines(services, audit);
    this.events = new DoseEvents(notices, patients, audit, services.clock());
    this.corrections = new DoseCorrections(notices);
    this.reactions = new ReactionEvents(notices, audit);
    this.doses = new Doses(services, audit, patients, notices);
    Plans plans = new Plans(services, audit, patients, notices);
    this.routes = List.of(
        new VaccinationRoutes(doses, plans, vaccines, new PatientStatuses(services, audit, notices),
            services.idempotency()),
        new ReportRoutes(new Reports(services, audit, patients, districts), vaccines, plans, services.idempotency()));
  }

  @Override
  public String name() {
    return "vaccination";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return routes;
  }

  /**
   * A dose recorded by a partner's professional, or carried to partners (see {@link DoseEvents}); a
   * correction made at the home node, carried to partners (see {@link DoseCorrections}); an adverse
   * reaction added later by any member (see {@link ReactionEvents}).
   */
  /** Doses given, at home and by vaccine, for 行政's usage report. */
  @Override
  public List<jp.tsunagu.node.feature.UsageFigures> usageFigures() {
    return List.of(new VaccinationFigures());
  }

  @Override
  public List<TeamEventType> teamEventTypes() {
    return List.of(events.type(), corrections.type(), reactions.type());
  }

  /** The doses recorded before the team was first shared, for the partner's copy (see {@link DoseHistory}). */
  @Override
  public List<jp.tsunagu.node.feature.BoardHistory> boardHistories() {
    return List.of(new DoseHistory(notices));
  }

  @Override
  public void seedDemo() {
    VaccinationDemo.seed(services, patients, doses, notices);
  }

  /**
   * The demo's doses given by a partner's nurse to a patient homed elsewhere, recorded on her node;
   * run by the demo once its wide-area teams are formed (never on a real node).
   */
  public void seedPartnerDemo() {
    VaccinationDemo.seedPartnerDoses(services, doses, notices);
  }
}
