package jp.tsunagu.federation.jws;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;

/**
 * The only place a verifier looks up a {@code kid}: keys the local node decided to trust, each bound
 * to one node. Keys named in a JWS header ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are
 * never used. Immutable.
 */
public final class TrustStore {
    private final Map<String, TrustedKey> byKeyId;

    private TrustStore(Map<String, TrustedKey> byKeyId) {
        this.byKeyId = Map.copyOf(byKeyId);
    }

    /** @return a store that trusts nothing */
    public static TrustStore empty() {
        return new TrustStore(Map.of());
    }

    /**
     * Trusts the current and retired keys of each card.
     *
     * @param cards node cards (from agreements or the local identity)
     * @return the store
     * @throws ProtocolException {@code trust.key_conflict} when one key is claimed by two nodes
     */
    public static TrustStore of(Collection<NodeCard> cards) {
        TrustStore store = empty();
        for (NodeCard card : cards) {
            store = store.with(card);
        }
        return store;
    }

    /**
     * @param card a node card
     * @return a store that also trusts the card's current and retired keys
     */
    public TrustStore with(NodeCard card) {
        Map<String, TrustedKey> keys = new HashMap<>(byKeyId);
        for (var key : concat(card)) {
            TrustedKey existing = keys.get(key.keyId());
            if (existing != null && !existing.node().equals(card.profile().name())) {
                throw new ProtocolException("trust.key_conflict",
                        "key " + key.keyId() + " is claimed by both " + existing.node() + " and " + card.profile().name());
            }
            keys.put(key.keyId(), new TrustedKey(card.profile().name(), key));
        }
        return new TrustStore(keys);
    }

    private static List<jp.tsunagu.federation.crypto.VerificationKey> concat(NodeCard card) {
        var keys = new java.util.ArrayList<jp.tsunagu.federation.crypto.VerificationKey>();
        keys.add(card.signingKey());
        keys.addAll(card.retiredSigningKeys());
        return keys;
    }

    /**
     * @param keyId a {@code kid} from a JWS header
     * @return the trusted key, if any
     */
    public Optional<TrustedKey> resolve(String keyId) {
        return Optional.ofNullable(byKeyId.get(keyId));
    }

    /** @return how many keys are trusted */
    public int size() {
        return byKeyId.size();
    }
}
