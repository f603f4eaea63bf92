package jp.tsunagu.federation.agreement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.jws.TrustStore;

/**
 * Every agreement version and withdrawal a node knows, and what follows from them at an instant:
 * which agreements are active between two nodes, the scopes they allow, the partners' TLS pins and
 * signing keys, and how long replicated data is kept.
 *
 * <p>Immutable: {@link #add} and {@link #withdraw} verify their input and return a new set, or throw
 * and change nothing, so a node can swap its trust set atomically on import.
 */
public final class AgreementSet {
    private final Map<String, NavigableMap<Long, AgreementDocument>> versions;
    private final List<WithdrawalStatement> withdrawals;

    private AgreementSet(Map<String, NavigableMap<Long, AgreementDocument>> versions, List<WithdrawalStatement> withdrawals) {
        this.versions = versions;
        this.withdrawals = List.copyOf(withdrawals);
    }

    /** @return a set that knows no agreement */
    public static AgreementSet empty() {
        return new AgreementSet(Map.of(), List.of());
    }

    /**
     * Adds a version. An amendment whose predecessor is known is checked against it (hash and rule);
     * a second copy of a known version contributes its signatures.
     *
     * @param document a parsed document
     * @return the new set
     * @throws ProtocolException {@code agreement.version_conflict} when the same version with other
     *                           content is known, {@code agreement.predecessor_hash_mismatch} and the other
     *                           codes of {@link AgreementVerifier}
     */
    public AgreementSet add(AgreementDocument document) {
        Agreement agreement = document.agreement();
        NavigableMap<Long, AgreementDocument> known = new TreeMap<>(versions.getOrDefault(agreement.id(), new TreeMap<>()));
        AgreementDocument existing = known.get(agreement.version());
        if (existing != null && !existing.sha256().equals(document.sha256())) {
            throw new ProtocolException("agreement.version_conflict", agreement.id() + " version " + agreement.version()
                    + " is already known with other content (" + existing.sha256() + ")");
        }
        AgreementDocument merged = existing == null ? document : AgreementDocument.merge(List.of(existing, document));
        known.put(agreement.version(), merged);
        Map<String, NavigableMap<Long, AgreementDocument>> next = new HashMap<>(versions);
        next.put(agreement.id(), known);
        AgreementSet set = new AgreementSet(next, withdrawals);
        set.judge(merged, Instant.EPOCH);
        return set;
    }

    /**
     * Records a withdrawal; it takes effect at once for the named version and every earlier one.
     *
     * @param statement a parsed statement
     * @return the new set
     * @throws ProtocolException {@code withdrawal.agreement_unknown} or a verification code of
     *                           {@link WithdrawalStatement#verifyAgainst}
     */
    public AgreementSet withdraw(WithdrawalStatement statement) {
        AgreementDocument named = Optional.ofNullable(versions.get(statement.agreementId()))
                .map(v -> v.get(statement.agreementVersion()))
                .orElseThrow(() -> new ProtocolException("withdrawal.agreement_unknown",
                        "no version " + statement.agreementVersion() + " of agreement " + statement.agreementId() + " is known"));
        statement.verifyAgainst(named);
        List<WithdrawalStatement> next = new ArrayList<>(withdrawals);
        next.add(statement);
        return new AgreementSet(versions, next);
    }

    /**
     * @param now the instant to judge at
     * @return a report for every known version, by id then version
     */
    public List<AgreementReport> reports(Instant now) {
        List<AgreementReport> reports = new ArrayList<>();
        for (String id : new TreeSet<>(versions.keySet())) {
            for (AgreementDocument document : versions.get(id).values()) {
                reports.add(judge(document, now));
            }
        }
        return reports;
    }

    /**
     * @param id an agreement id
     * @param now the instant to judge at
     * @return the report of the latest known version
     */
    public Optional<AgreementReport> latest(String id, Instant now) {
        return Optional.ofNullable(versions.get(id)).map(v -> judge(v.lastEntry().getValue(), now));
    }

    /**
     * The agreements under which data may flow between two nodes now: active, naming both, and
     * neither withdrawn.
     *
     * @param nodeA a node name
     * @param nodeB another node name
     * @param now   the instant to judge at
     * @return the agreements, possibly none
     */
    public List<Agreement> activeBetween(String nodeA, String nodeB, Instant now) {
        return reports(now).stream()
                .filter(r -> r.isActive() && r.isParticipating(nodeA) && r.isParticipating(nodeB) && !nodeA.equals(nodeB))
                .map(AgreementReport::agreement).toList();
    }

    /**
     * @param local this node's name
     * @param now   the instant to judge at
     * @return the cards of every partner this node may exchange data with now, one per node (from
     *         the latest agreement naming it)
     */
    public List<NodeCard> partners(String local, Instant now) {
        Map<String, NodeCard> byName = new java.util.LinkedHashMap<>();
        for (AgreementReport report : reports(now)) {
            if (!report.isActive() || !report.isParticipating(local)) {
                continue;
            }
            for (NodeCard party : report.agreement().parties()) {
                String name = party.profile().name();
                if (!name.equals(local) && report.isParticipating(name)) {
                    byName.put(name, party);
                }
            }
        }
        return List.copyOf(byName.values());
    }

    /**
     * @param local this node's name
     * @param now   the instant to judge at
     * @return the TLS pins a federation listener accepts now
     */
    public Set<String> trustedPins(String local, Instant now) {
        Set<String> pins = new LinkedHashSet<>();
        partners(local, now).forEach(p -> pins.add(p.tlsPin()));
        return pins;
    }

    /**
     * @param local this node's name
     * @param now   the instant to judge at
     * @return the partners' signing keys (current and retired), for verifying event envelopes
     */
    public TrustStore trustStore(String local, Instant now) {
        return TrustStore.of(partners(local, now));
    }

    /**
     * @return the scopes allowed between two nodes now, across their active agreements
     */
    public Set<String> scopesBetween(String nodeA, String nodeB, Instant now) {
        Set<String> scopes = new TreeSet<>();
        activeBetween(nodeA, nodeB, now).forEach(a -> scopes.addAll(a.scopes()));
        return scopes;
    }

    /** @return every withdrawal recorded */
    public List<WithdrawalStatement> withdrawals() {
        return withdrawals;
    }

    /** @return every known document, by id then version */
    public List<AgreementDocument> documents() {
        List<AgreementDocument> all = new ArrayList<>();
        new TreeSet<>(versions.keySet()).forEach(id -> all.addAll(versions.get(id).values()));
        return all;
    }

    private AgreementReport judge(AgreementDocument document, Instant now) {
        Agreement agreement = document.agreement();
        NavigableMap<Long, AgreementDocument> sameId = versions.get(agreement.id());
        Optional<AgreementDocument> predecessor = agreement.replaces()
                .map(r -> sameId.get(r.version()));
        boolean superseded = sameId.tailMap(agreement.version(), false).values().stream()
                .anyMatch(later -> takenEffect(later, now));
        return AgreementVerifier.judge(document, now, predecessor, withdrawnFrom(agreement),
                predecessor.map(p -> withdrawnFrom(p.agreement())).orElse(Map.of()), superseded);
    }

    /** A later version replaces this one once its signatures suffice and its validity has begun. */
    private boolean takenEffect(AgreementDocument later, Instant now) {
        if (now.isBefore(later.agreement().notBefore())) {
            return false;
        }
        AgreementReport report = judge(later, later.agreement().notBefore());
        return report.status() != AgreementStatus.DRAFT;
    }

    private Map<String, Instant> withdrawnFrom(Agreement agreement) {
        Map<String, Instant> withdrawn = new HashMap<>();
        for (WithdrawalStatement w : withdrawals) {
            if (w.agreementId().equals(agreement.id()) && w.agreementVersion() >= agreement.version()) {
                withdrawn.putIfAbsent(w.node(), w.withdrawnAt());
            }
        }
        return withdrawn;
    }

    /** @return how many versions are known */
    public int size() {
        return versions.values().stream().mapToInt(Map::size).sum();
    }
}
