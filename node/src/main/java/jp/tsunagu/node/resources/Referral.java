package jp.tsunagu.node.resources;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A referral sheet: the resources a professional hands to a resident, with a comment. Made from a
 * patient's page it names the patient ({@code patientId}), and the patient's care team may open
 * it; made without one, the resident is a typed name and only its author may open it.
 */
public record Referral(String id, String residentName, String referrerName, String referrerOrganization,
    String comment, String originLabel, Optional<GeoPoint> origin, List<String> resourceIds,
    Optional<String> createdBy, Instant createdAt, Optional<String> patientId) {

  public Referral {
    resourceIds = List.copyOf(resourceIds);
  }

  /** The same referral for a patient, named as the patient is registered. */
  Referral forPatient(String patient, String registeredName) {
    return new Referral(id, registeredName, referrerName, referrerOrganization, comment, originLabel, origin,
        resourceIds, createdBy, createdAt, Optional.of(patient));
  }
}
