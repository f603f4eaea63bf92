package jp.tsunagu.node.federation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.wire.ProfessionalDirectory;

/**
 * Who partners' professionals are, as their own nodes answered the directory: the one source a
 * shadow profile may be taken from when one of them is invited (never the inviter's word). Bounded:
 * the most recently seen entries only.
 */
public final class PartnerProfiles {

  static final int MAX_ENTRIES = 10_000;

  private final Map<String, ProfessionalDirectory.Entry> seen = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ProfessionalDirectory.Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  /** Keeps the entries a node answered about its own professionals (any other is ignored). */
  synchronized void answered(String node, Iterable<ProfessionalDirectory.Entry> entries) {
    for (ProfessionalDirectory.Entry entry : entries) {
      if (FederatedId.tryParse(entry.federatedId()).map(id -> id.node().equals(node)).orElse(false)) {
        seen.put(entry.federatedId(), entry);
      }
    }
  }

  /** What the professional's own node last answered about them, if it was asked. */
  public synchronized Optional<ProfessionalDirectory.Entry> of(String federatedId) {
    return Optional.ofNullable(seen.get(federatedId));
  }
}
