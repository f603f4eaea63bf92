package jp.tsunagu.node;

import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.node.backup.BackupFeature;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.forms.DoctorOpinions;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.disaster.DisasterFeature;
import jp.tsunagu.node.disaster.RegisterConsents;
import jp.tsunagu.node.disaster.RegisterLookup;
import jp.tsunagu.node.emergency.EmergencyFeature;
import jp.tsunagu.node.emergency.SharingConsents;
import jp.tsunagu.node.family.FamilyFeature;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.federation.FederationFeature;
import jp.tsunagu.node.federation.PartnerResourcesFeature;
import jp.tsunagu.node.identity.IdentityFeature;
import jp.tsunagu.node.meetings.MeetingsFeature;
import jp.tsunagu.node.reports.ReportsFeature;
import jp.tsunagu.node.resources.ResourcesFeature;
import jp.tsunagu.node.review.ReviewFeature;
import jp.tsunagu.node.sensors.RegisterPeople;
import jp.tsunagu.node.sensors.SensorsFeature;
import jp.tsunagu.node.teamsync.SharedBoards;
import jp.tsunagu.node.teamsync.TeamEventTypes;
import jp.tsunagu.node.teamsync.TeamSyncFeature;
import jp.tsunagu.node.vaccination.VaccinationFeature;

/**
 * The one list of what a node runs: every feature, built once, in dependency order, each handed the
 * services of the features it uses through its constructor. A new capability is one constructor
 * call here (and, if partners exchange its events, it is built before team sync, which is given
 * every type the features before it declare). The node mounts the features in this order and
 * closes them in reverse.
 */
final class NodeFeatures {

  private NodeFeatures() {}

  static List<NodeFeature> create(NodeServices services) {
    List<NodeFeature> features = new ArrayList<>();
    IdentityFeature identity = add(features, new IdentityFeature(services));
    FederationFeature federation = add(features, new FederationFeature(services));
    // Care and team replication need each other: the care data replication reads and writes, and
    // the hooks care calls in its writes, are made first; the sync engine comes last.
    TeamData teamData = TeamData.create(services, federation.careTeamPartners());
    SharedBoards sharedBoards = new SharedBoards(services, federation.federation(), federation.careTeamPartners(),
        teamData);
    CareFeature care = add(features, new CareFeature(services, teamData, sharedBoards));
    ResourcesFeature resources = add(features, new ResourcesFeature(services, care.patientAccess()));
    DisasterFeature disaster = add(features, new DisasterFeature(services, care.patientAccess(),
        care.timelineNotices(), resources.geocoder()));
    // An emergency access shows whether the patient consented to sharing, as the register records it.
    RegisterConsents registerConsents = disaster.consents();
    add(features, new EmergencyFeature(services, care.emergencyRecords(), (c, patientId) -> registerConsents
        .of(c, patientId).map(consent -> new SharingConsents.Recorded(consent.consented(), consent.source())),
        federation.federation(), federation.partnersUnder(Scopes.EMERGENCY_ACCESS)));
    add(features, new PartnerResourcesFeature(services, federation.federation(), resources.service()));
    // A 要援護者台帳 person is enrolled for watch sensors as the register's current version records them.
    RegisterLookup registerLookup = disaster.lookup();
    add(features, new SensorsFeature(services, care.patientAccess(), care.timelineNotices(), (c, kana, birthDate) ->
        registerLookup.byKanaAndBirthDate(c, kana, birthDate).map(p -> new RegisterPeople.Resident(p.key(), p.name(),
            p.address(), p.district(), p.phone(), p.version(), p.municipalityCode()))));
    add(features, new VaccinationFeature(services, care.patientAccess(), care.timelineNotices(),
        disaster.districtNames()));
    MeetingsFeature meetings = add(features, new MeetingsFeature(services, care.boards()));
    add(features, new FamilyFeature(services, care.patientAccess(), care.timelineNotices(),
        care.familySharing(), meetings.meetings(), federation.federation(), federation.careTeamPartners()));
    add(features, new ReviewFeature(services, identity.professionals(), meetings.meetings(),
        federation.federation(), federation.partnersUnder(Scopes.CERTIFICATION_REVIEW),
        new DoctorOpinions(services)));
    TeamEventTypes teamEventTypes = new TeamEventTypes(features.stream()
        .flatMap(feature -> feature.teamEventTypes().stream()).toList(), features.stream()
        .flatMap(feature -> feature.boardHistories().stream()).toList());
    add(features, new TeamSyncFeature(services, federation.federation(), teamData, sharedBoards, teamEventTypes));
    add(features, new BackupFeature(services));
    // The usage report shows the figures of every feature above; a feature the node lacks has none.
    add(features, new ReportsFeature(services, features.stream()
        .flatMap(feature -> feature.usageFigures().stream()).toList(), federation.federation(),
        federation.partnersUnder(Scopes.STATISTICS)));
    return features;
  }

  private static <T extends NodeFeature> T add(List<NodeFeature> features, T feature) {
    features.add(feature);
    return feature;
  }
}
