package jp.tsunagu.federation.agreement;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;

/**
 * Decides an agreement's status at an explicit instant, so results never depend on the wall clock
 * of whoever runs the check.
 *
 * <p>An original agreement needs every party's signature. An amendment needs, as the version it
 * replaces demands, all or {@code m} of that version's remaining parties, plus every party it adds;
 * when that version is not at hand, it needs every one of its own parties.
 */
public final class AgreementVerifier {
    private AgreementVerifier() {
    }

    /**
     * Verifies a stand-alone document.
     *
     * @param document a parsed document (its signatures have verified)
     * @param now      the instant to judge validity at
     * @return the report
     */
    public static AgreementReport verify(AgreementDocument document, Instant now) {
        return verify(document, now, Optional.empty(), List.of(), false);
    }

    /**
     * Verifies a document with what else is known about it.
     *
     * @param document    a parsed document
     * @param now         the instant to judge validity at
     * @param predecessor the version it replaces, when at hand
     * @param withdrawals withdrawal statements about this agreement; each is verified here
     * @param superseded  whether a later version has taken effect
     * @return the report
     * @throws ProtocolException {@code agreement.predecessor_hash_mismatch}, {@code agreement.predecessor_mismatch},
     *                           or a withdrawal's verification code
     */
    public static AgreementReport verify(AgreementDocument document, Instant now, Optional<AgreementDocument> predecessor,
                                         List<WithdrawalStatement> withdrawals, boolean superseded) {
        Map<String, Instant> withdrawn = withdrawals.stream()
                .map(w -> w.verifyAgainst(document))
                .collect(Collectors.toMap(WithdrawalStatement::node, WithdrawalStatement::withdrawnAt, (a, b) -> a));
        return judge(document, now, predecessor, withdrawn, Map.of(), superseded);
    }

    /**
     * Judges a document whose withdrawals were already verified (by {@link AgreementSet}).
     */
    static AgreementReport judge(AgreementDocument document, Instant now, Optional<AgreementDocument> predecessor,
                                 Map<String, Instant> withdrawn, Map<String, Instant> withdrawnFromPredecessor,
                                 boolean superseded) {
        Agreement agreement = document.agreement();
        predecessor.ifPresent(p -> requireNamedPredecessor(agreement, p));
        Set<String> signed = Set.copyOf(document.signedBy());
        Optional<String> missing = predecessor
                .map(p -> missingUnderRule(agreement, p.agreement(), signed, withdrawnFromPredecessor))
                .orElseGet(() -> missingFromAll(agreement, signed));

        AgreementStatus status;
        if (missing.isPresent()) {
            status = AgreementStatus.DRAFT;
        } else if (superseded) {
            status = AgreementStatus.SUPERSEDED;
        } else if (now.isBefore(agreement.notBefore())) {
            status = AgreementStatus.NOT_YET_VALID;
        } else if (!now.isBefore(agreement.notAfter())) {
            status = AgreementStatus.EXPIRED;
        } else {
            status = AgreementStatus.ACTIVE;
        }
        List<PartyReport> parties = agreement.parties().stream().map(NodeCard::profile).map(p -> {
            Instant at = withdrawn.get(p.name());
            PartyStatus partyStatus = at != null ? PartyStatus.WITHDRAWN
                    : signed.contains(p.name()) ? PartyStatus.SIGNED : PartyStatus.UNSIGNED;
            return new PartyReport(p.name(), p.displayName(), partyStatus, Optional.ofNullable(at));
        }).toList();
        return new AgreementReport(document, status, parties, missing);
    }

    private static void requireNamedPredecessor(Agreement amendment, AgreementDocument predecessor) {
        Predecessor named = amendment.replaces().orElseThrow(() -> new ProtocolException("agreement.predecessor_mismatch",
                amendment.id() + " version " + amendment.version() + " does not replace any version"));
        if (!predecessor.agreement().id().equals(named.id()) || predecessor.agreement().version() != named.version()) {
            throw new ProtocolException("agreement.predecessor_mismatch", "the amendment replaces " + named.id()
                    + " version " + named.version() + ", not version " + predecessor.agreement().version());
        }
        if (!predecessor.sha256().equals(named.sha256())) {
            throw new ProtocolException("agreement.predecessor_hash_mismatch", "the amendment names predecessor hash "
                    + named.sha256() + " but the predecessor's is " + predecessor.sha256());
        }
    }

    private static Optional<String> missingFromAll(Agreement agreement, Set<String> signed) {
        List<String> unsigned = agreement.partyNames().stream().filter(n -> !signed.contains(n)).toList();
        if (unsigned.isEmpty()) {
            return Optional.empty();
        }
        String why = agreement.replaces().isPresent() ? " (the replaced version is not at hand, so every party must sign)" : "";
        return Optional.of("unsigned: " + String.join(", ", unsigned) + why);
    }

    private static Optional<String> missingUnderRule(Agreement amendment, Agreement predecessor, Set<String> signed,
                                                     Map<String, Instant> withdrawnFromPredecessor) {
        List<String> remaining = predecessor.partyNames().stream().filter(n -> !withdrawnFromPredecessor.containsKey(n)).toList();
        Set<String> newParties = amendment.partyNames().stream().filter(n -> !predecessor.partyNames().contains(n))
                .collect(Collectors.toSet());
        List<String> unsignedNew = newParties.stream().filter(n -> !signed.contains(n)).sorted().toList();
        long signedRemaining = remaining.stream().filter(signed::contains).count();
        int required = predecessor.amendmentRule().required(remaining.size());
        if (unsignedNew.isEmpty() && signedRemaining >= required) {
            return Optional.empty();
        }
        StringBuilder why = new StringBuilder();
        if (signedRemaining < required) {
            why.append(predecessor.amendmentRule()).append(" needs ").append(required).append(" of the ")
                    .append(remaining.size()).append(" parties of version ").append(predecessor.version())
                    .append(", ").append(signedRemaining).append(" signed");
        }
        if (!unsignedNew.isEmpty()) {
            why.append(why.length() > 0 ? "; " : "").append("joining parties unsigned: ").append(String.join(", ", unsignedNew));
        }
        return Optional.of(why.toString());
    }
}
