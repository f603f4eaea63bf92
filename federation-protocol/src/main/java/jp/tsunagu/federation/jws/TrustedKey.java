package jp.tsunagu.federation.jws;

import jp.tsunagu.federation.crypto.VerificationKey;

/**
 * A key in a trust store, bound to the node that owns it.
 *
 * @param node the node name
 * @param key  the public key
 */
public record TrustedKey(String node, VerificationKey key) {
}
