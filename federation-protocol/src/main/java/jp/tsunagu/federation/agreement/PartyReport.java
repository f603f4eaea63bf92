package jp.tsunagu.federation.agreement;

import java.time.Instant;
import java.util.Optional;

/**
 * One party's line in an {@link AgreementReport}.
 *
 * @param node        the party's node name
 * @param displayName its display name
 * @param status      signed, unsigned or withdrawn
 * @param withdrawnAt when it withdrew, if it did
 */
public record PartyReport(String node, String displayName, PartyStatus status, Optional<Instant> withdrawnAt) {
}
