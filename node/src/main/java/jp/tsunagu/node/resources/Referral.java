package jp.tsunagu.node.resources;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A referral sheet: the resources a professional hands to a resident, with a comment. Made from a
 * patient's page it names the patient ({@code patientId}), and the patient's care team may open
 * it; made without one, the resident is a typed name and only its author may open it. Besides
 * this node's resources ({@code resourceIds}) it may introduce partner nodes' resources
 * ({@code partnerItems}), which follow them on the sheet.
 */
public record Referral(String id, String residentName, String referrerName, String referrerOrganization,
    String comment, String originLabel, Optional<GeoPoint> origin, List<String> resourceIds,
    List<PartnerItem> partnerItems, Optional<String> createdBy, Instant createdAt, Optional<String> patientId) {

  /**
   * A partner's resource on the sheet: its node and id, and its name and lines as they were when
   * it was referred (the partner's copy may change or go; the sheet handed over does not). Asked
   * for by node and id only, until the service finds it among the partner copies shown now.
   */
  public record PartnerItem(String node, String resourceId, String name, List<String> facts) {

    public PartnerItem {
      facts = List.copyOf(facts);
    }

    static PartnerItem wanted(String node, String resourceId) {
      return new PartnerItem(node, resourceId, "", List.of());
    }
  }

  public Referral {
    resourceIds = List.copyOf(resourceIds);
    partnerItems = List.copyOf(partnerItems);
  }

  /** How many resources the sheet introduces, this node's and partners'. */
  public int size() {
    return resourceIds.size() + partnerItems.size();
  }

  /** The same referral for a patient, named as the patient is registered. */
  Referral forPatient(String patient, String registeredName) {
    return new Referral(id, registeredName, referrerName, referrerOrganization, comment, originLabel, origin,
        resourceIds, partnerItems, createdBy, createdAt, Optional.of(patient));
  }

  /** The same referral with its partner resources as found. */
  Referral withPartnerItems(List<PartnerItem> found) {
    return new Referral(id, residentName, referrerName, referrerOrganization, comment, originLabel, origin,
        resourceIds, found, createdBy, createdAt, patientId);
  }

  /** The same referral with its items as stored. */
  Referral withItems(List<String> localIds, List<PartnerItem> partners) {
    return new Referral(id, residentName, referrerName, referrerOrganization, comment, originLabel, origin,
        localIds, partners, createdBy, createdAt, patientId);
  }
}
