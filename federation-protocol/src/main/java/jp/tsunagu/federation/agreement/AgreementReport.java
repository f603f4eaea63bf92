package jp.tsunagu.federation.agreement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.tsunagu.federation.ProtocolException;

/**
 * The result of verifying an agreement at one instant: its status and each party's.
 *
 * @param document the verified document
 * @param status   the agreement's status
 * @param parties  each party's status, in document order
 * @param note     why the status is what it is, when that is not obvious
 */
public record AgreementReport(AgreementDocument document, AgreementStatus status, List<PartyReport> parties,
                              Optional<String> note) {

    /** Copies the list. */
    public AgreementReport {
        parties = List.copyOf(parties);
    }

    /** @return the agreement content */
    public Agreement agreement() {
        return document.agreement();
    }

    /** @return whether the agreement is in force */
    public boolean isActive() {
        return status == AgreementStatus.ACTIVE;
    }

    /**
     * @param node a node name
     * @return whether the node is a party that has not withdrawn
     */
    public boolean isParticipating(String node) {
        return parties.stream().anyMatch(p -> p.node().equals(node) && p.status() != PartyStatus.WITHDRAWN);
    }

    /**
     * @return this report, when active
     * @throws ProtocolException {@code agreement.signature_missing}, {@code agreement.amendment_signatures_missing},
     *                           {@code agreement.not_yet_valid}, {@code agreement.expired} or {@code agreement.superseded}
     */
    public AgreementReport requireActive() {
        String what = agreement().id() + " version " + agreement().version();
        switch (status) {
            case ACTIVE:
                return this;
            case DRAFT:
                if (agreement().replaces().isPresent()) {
                    throw new ProtocolException("agreement.amendment_signatures_missing",
                            what + " lacks signatures its amendment rule requires" + note.map(n -> ": " + n).orElse(""));
                }
                throw new ProtocolException("agreement.signature_missing", what + " is not signed by every party"
                        + note.map(n -> ": " + n).orElse(""));
            case NOT_YET_VALID:
                throw new ProtocolException("agreement.not_yet_valid", what + " is valid only from " + agreement().notBefore());
            case EXPIRED:
                throw new ProtocolException("agreement.expired", what + " expired at " + agreement().notAfter());
            default:
                throw new ProtocolException("agreement.superseded", what + " has been replaced by a later version");
        }
    }

    /** @return the report as JSON members, as {@code agreement verify --json} prints it */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", agreement().id());
        json.put("version", agreement().version());
        json.put("title", agreement().title());
        json.put("sha256", document.sha256());
        json.put("status", status.wireName());
        json.put("notBefore", agreement().notBefore().toString());
        json.put("notAfter", agreement().notAfter().toString());
        json.put("scopes", agreement().scopes());
        json.put("amendmentRule", agreement().amendmentRule().toString());
        json.put("retentionDays", agreement().retentionDays());
        json.put("parties", parties.stream().map(p -> {
            Map<String, Object> party = new LinkedHashMap<>();
            party.put("node", p.node());
            party.put("displayName", p.displayName());
            party.put("status", p.status().wireName());
            p.withdrawnAt().ifPresent(at -> party.put("withdrawnAt", at.toString()));
            return party;
        }).toList());
        note.ifPresent(n -> json.put("note", n));
        return json;
    }
}
