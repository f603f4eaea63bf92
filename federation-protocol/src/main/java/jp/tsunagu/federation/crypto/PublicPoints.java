package jp.tsunagu.federation.crypto;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Decoded Ed25519 public keys, one per key id. The raw key is kept beside its point and compared on
 * every look-up, so a key id can never lend its point to another key; a cache this size holds every
 * key of a prefecture many times over, and is simply emptied if it ever fills (keys are few, but
 * nothing bounds how many a hostile input names).
 */
final class PublicPoints {
    private static final int MAX_KEYS = 4096;
    private static final ConcurrentHashMap<String, Decoded> BY_KEY_ID = new ConcurrentHashMap<>();

    private record Decoded(byte[] raw, Ed25519.PublicPoint point) {
    }

    private PublicPoints() {
    }

    /**
     * @param keyId the key id
     * @param raw   the 32-byte public key
     * @return the decoded point, or {@code null} when the bytes are not a canonical curve point
     */
    static Ed25519.PublicPoint of(String keyId, byte[] raw) {
        Decoded cached = BY_KEY_ID.get(keyId);
        if (cached != null && Arrays.equals(cached.raw(), raw)) {
            return cached.point();
        }
        Ed25519.PublicPoint point = raw.length == Ed25519.PUBLIC_KEY_SIZE ? Ed25519.validatePublicKeyPartialExport(raw, 0) : null;
        if (point != null) {
            if (BY_KEY_ID.size() >= MAX_KEYS) {
                BY_KEY_ID.clear();
            }
            BY_KEY_ID.put(keyId, new Decoded(raw.clone(), point));
        }
        return point;
    }
}
