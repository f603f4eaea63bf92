package jp.tsunagu.node.sensors;

import io.vertx.core.Deployable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.Mailer;
import jp.tsunagu.node.web.RouteSet;

/**
 * みまもりセンサー (watch sensors): households enrolled by municipal staff with the resident's consent;
 * readings delivered by gateways the node issued a key to; raw readings kept for the retention period
 * and hourly aggregates for the life of the enrolment; rules that raise an alert once per episode (no
 * activity, heat, cold, a silent device, low battery); the call centre (見守りセンター) working its
 * alerts and escalating to the family and the resident's care manager.
 */
public final class SensorsFeature implements NodeFeature {

  private final StatusSummaries summaries;
  private final PartnerMails partnerMails;
  private final NodeServices services;
  private final PatientAccess patients;
  private final TimelineNotices notices;
  private final AuditLog audit;
  private final RuleSettings settings;
  private final AlertRules rules;
  private final java.util.concurrent.atomic.AtomicBoolean timerOn = new java.util.concurrent.atomic.AtomicBoolean(true);
  private final List<RouteSet> webRoutes = new ArrayList<>();
  private final List<RouteSet> adminRoutes = new ArrayList<>();
  private final List<Supplier<Deployable>> verticles = new ArrayList<>();

  /**
   * @param patients the node's patients (enrolment of a patient, the patient page's sensor tab)
   * @param notices the care feature's notices on a patient's timeline (escalated alerts)
   */
  public SensorsFeature(NodeServices services, PatientAccess patients, TimelineNotices notices,
      RegisterPeople register) {
    this.services = services;
    this.settings = RuleSettings.defaults()
        .withEscalateAfterMinutes(services.config().sensors().escalateAfterMinutes());
    this.patients = patients;
    this.notices = notices;
    this.audit = new AuditLog(services.database(), services.clock());
    this.rules = rulesWith(services.clock(), settings);
    this.summaries = new StatusSummaries(services.database(), audit, notices, services.clock());
    this.partnerMails = new PartnerMails(services.database(), audit, notices, new Mailer(services.config().mail()),
        services.clock(), settings.zone());
    webRoutes.add(new HouseholdRoutes(new Enrolments(services.database(), audit, services.clock(), patients,
        new AttachmentFiles(services.config().dataDir()), register), services.idempotency(), services.config().limits().uploadBytes()));
    webRoutes.add(new CallCentreRoutes(callCentreWith(services.clock(), settings)));
    webRoutes.add(new SensorViewRoutes(new SensorViews(services.database(), audit, services.clock(), patients,
        settings.zone())));
    verticles.add(() -> new AlertTimer(rules, summaries, partnerMails, services.clock(), settings.sweepSeconds() * 1000L,
        settings.escalationCheckSeconds() * 1000L, timerOn));
    IngestAssembly.add(services, rules, webRoutes, adminRoutes, verticles);
  }

  /** The sensor status summaries sent to the partner nodes of a patient's team (and shown there). */
  StatusSummaries summaries() {
    return summaries;
  }

  /** The mails to this node's care managers of an alert a partner home node escalated. */
  PartnerMails partnerMails() {
    return partnerMails;
  }

  /**
   * The patient's sensor status as the partner nodes of the team see it: team event
   * {@value StatusSummaries#TYPE}, made by the home node only.
   */
  @Override
  public List<jp.tsunagu.node.feature.TeamEventType> teamEventTypes() {
    return List.of(summaries.type());
  }

  /** The rules the ingest tells of new readings. */
  NewReadings newReadings() {
    return rules;
  }

  /** Stops the timer's looks at the node's clock (a test that drives time with {@link #rulesWith} itself). */
  void stopTimer() {
    timerOn.set(false);
  }

  /** The rules on another clock and settings (tests drive time with them). */
  AlertRules rulesWith(Clock clock, RuleSettings with) {
    return new AlertRules(services.database(), audit, clock, with, escalations(with));
  }

  /** The call centre's work on another clock and settings. */
  CallCentre callCentreWith(Clock clock, RuleSettings with) {
    return new CallCentre(services.database(), audit, clock, escalations(with));
  }

  private Escalations escalations(RuleSettings with) {
    return new Escalations(services.database(), audit, notices, new Mailer(services.config().mail()), with.zone());
  }

  @Override
  public void seedDemo() {
    SensorsDemo.seed(services, audit, patients);
  }

  @Override
  public String name() {
    return "sensors";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return webRoutes;
  }

  @Override
  public List<RouteSet> adminRoutes() {
    return adminRoutes;
  }

  @Override
  public List<Supplier<Deployable>> verticles() {
    return verticles;
  }

  @Override
  public List<jp.tsunagu.node.feature.UsageFigures> usageFigures() {
    return List.of(new SensorFigures());
  }
}
