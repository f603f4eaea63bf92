package jp.tsunagu.node.emergency;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether a patient consented to their information being shared (情報提供への同意), where the node
 * records it (the 要援護者台帳 of the disaster feature, for a patient staff matched to a person of it).
 * No consent flag blocks an emergency access (emergencies are the law's exception); the view shows it.
 */
@FunctionalInterface
public interface SharingConsents {

  /** A recorded consent or refusal, and where it is recorded ({@code 要援護者台帳 第3版}). */
  record Recorded(boolean consented, String source) {}

  /** None recorded anywhere on this node. */
  SharingConsents NONE = (c, patientId) -> Optional.empty();

  /** The consent recorded for one of this node's patients; empty when the node has none. */
  Optional<Recorded> of(Connection c, String patientId) throws SQLException;
}
