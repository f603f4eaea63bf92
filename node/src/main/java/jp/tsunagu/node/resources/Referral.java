package jp.tsunagu.node.resources;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A referral sheet: the resources a professional hands to a resident, with a comment. The
 * resident is a free-text name until the care-core issue links referrals to patients.
 */
public record Referral(String id, String residentName, String referrerName, String referrerOrganization,
    String comment, String originLabel, Optional<GeoPoint> origin, List<String> resourceIds,
    Optional<String> createdBy, Instant createdAt) {

  public Referral {
    resourceIds = List.copyOf(resourceIds);
  }
}
