package jp.tsunagu.federation.jws;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.crypto.VerificationKey;
import jp.tsunagu.federation.json.CanonicalJson;

/**
 * One JWS signature: its base64url protected header and signature value (RFC 7515 section 7.2.1).
 *
 * @param protectedHeader base64url of the protected header
 * @param signature       base64url of the signature
 */
public record JwsSignature(String protectedHeader, String signature) {

    /**
     * Signs a payload with an Ed25519 key.
     *
     * @param key        the signing key; its id goes into {@code kid}
     * @param typ        the {@code typ} header
     * @param extra      further protected header members (may be empty)
     * @param payloadB64 the base64url payload
     * @return the signature
     */
    public static JwsSignature sign(SigningKey key, String typ, Map<String, Object> extra, String payloadB64) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", jp.tsunagu.federation.crypto.Ed25519.JWS_ALGORITHM);
        header.put("typ", typ);
        header.put("kid", key.keyId());
        header.putAll(extra);
        String protectedB64 = Base64Url.encode(CanonicalJson.bytes(header));
        return new JwsSignature(protectedB64, Base64Url.encode(key.sign(signingInput(protectedB64, payloadB64))));
    }

    /**
     * @param key        the key resolved from the trust store
     * @param payloadB64 the base64url payload
     * @param code       error code when the signature does not verify
     * @throws ProtocolException with {@code code} when it does not verify
     */
    public void verify(VerificationKey key, String payloadB64, String code) {
        byte[] value = Base64Url.decode(signature, code);
        if (!key.verify(signingInput(protectedHeader, payloadB64), value)) {
            throw new ProtocolException(code, "signature by key " + key.keyId() + " does not verify");
        }
    }

    /** @return the JWS signing input {@code ASCII(protected || '.' || payload)} */
    public static byte[] signingInput(String protectedB64, String payloadB64) {
        return (protectedB64 + "." + payloadB64).getBytes(StandardCharsets.US_ASCII);
    }

    /** @return members {@code protected} and {@code signature} of the general JSON serialization */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("protected", protectedHeader);
        json.put("signature", signature);
        return json;
    }
}
