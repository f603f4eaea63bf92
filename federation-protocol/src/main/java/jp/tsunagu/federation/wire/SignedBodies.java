package jp.tsunagu.federation.wire;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;
import jp.tsunagu.federation.jws.Base64Url;
import jp.tsunagu.federation.jws.JwsPolicy;
import jp.tsunagu.federation.jws.JwsSignature;
import jp.tsunagu.federation.jws.TrustedKey;
import jp.tsunagu.federation.jws.TrustStore;

/**
 * The compact JWS bodies of the node-to-node questions (statistics, access reads): canonical JSON
 * signed by one node's key, checked against the trust store with a fixed {@code typ}, version 1.
 */
final class SignedBodies {

    /** The node whose key verified, and the body's fields. */
    record Verified(String signer, JsonFields fields) {
    }

    private SignedBodies() {
    }

    static String compact(NodeIdentity identity, String typ, Map<String, Object> json) {
        String payloadB64 = Base64Url.encode(CanonicalJson.bytes(json));
        JwsSignature signature = JwsSignature.sign(identity.signingKey(), typ, Map.of(), payloadB64);
        return signature.protectedHeader() + "." + payloadB64 + "." + signature.signature();
    }

    static Verified verified(String compact, TrustStore trust, JwsPolicy policy, String prefix) {
        String[] parts = compact == null ? new String[0] : compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new ProtocolException(prefix + ".malformed", "a compact JWS has three parts");
        }
        TrustedKey signer = policy.resolve(policy.check(parts[0]), trust);
        new JwsSignature(parts[0], parts[2]).verify(signer.key(), parts[1], prefix + ".signature_invalid");
        String body = new String(Base64Url.decode(parts[1], prefix + ".malformed"), StandardCharsets.UTF_8);
        JsonFields fields = JsonFields.of(Json.parse(body), prefix + ".malformed", prefix);
        if (fields.integer("v") != 1) {
            throw new ProtocolException(prefix + ".version_unsupported", "version " + fields.integer("v"));
        }
        return new Verified(signer.node(), fields);
    }
}
