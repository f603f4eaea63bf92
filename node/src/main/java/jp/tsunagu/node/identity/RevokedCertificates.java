package jp.tsunagu.node.identity;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fingerprints of revoked device certificates, shared by every web verticle instance of the
 * node. Loaded at start and added to in the same moment a revocation commits, so the web listener
 * refuses a revoked certificate on its next request, on any connection, without a restart; on the
 * other instances of a clustered node, once the revocation's replicated rows are applied there.
 */
final class RevokedCertificates {

  private final Set<String> fingerprints = ConcurrentHashMap.newKeySet();

  RevokedCertificates(Collection<String> initial) {
    fingerprints.addAll(initial);
  }

  void add(String fingerprint) {
    fingerprints.add(fingerprint);
  }

  /** Revocations read again from the database (they arrived there by replication). */
  void addAll(Collection<String> revoked) {
    fingerprints.addAll(revoked);
  }

  boolean contains(String fingerprint) {
    return fingerprints.contains(fingerprint);
  }
}
