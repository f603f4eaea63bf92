package jp.tsunagu.federation.jws;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.Ed25519;
import jp.tsunagu.federation.json.Json;

/**
 * What a protected JWS header must look like for one kind of Tsunagu object, and the error-code
 * prefix of its failures (such as {@code envelope} or {@code agreement}).
 *
 * <p>Only algorithms in {@link #ALLOWED_ALGORITHMS} are accepted, so {@code none} and HMAC
 * algorithms (the "HS256 keyed with a public key" confusion) never reach a verifier. Headers that
 * point at keys elsewhere are refused outright rather than ignored, so a forged document fails
 * loudly. {@code crit} is refused because no extension is understood.
 *
 * @param typ    the required {@code typ} header, e.g. {@code tsunagu-event+jws}
 * @param prefix error code prefix
 */
public record JwsPolicy(String typ, String prefix) {
    /** The algorithm allow-list. Ed25519 was chosen by measurement; see the module README. */
    public static final Set<String> ALLOWED_ALGORITHMS = Set.of(Ed25519.JWS_ALGORITHM);

    /** Header parameters that would let the sender choose the verification key or alter processing. */
    public static final Set<String> FORBIDDEN_PARAMETERS = Set.of("jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "crit", "b64", "zip");

    /**
     * Decodes and checks a protected header.
     *
     * @param protectedB64 the base64url protected header
     * @return the header members
     * @throws ProtocolException {@code <prefix>.malformed}, {@code <prefix>.alg_not_allowed},
     *                           {@code <prefix>.header_forbidden}, {@code <prefix>.typ_invalid},
     *                           {@code <prefix>.kid_missing}
     */
    public Map<String, Object> check(String protectedB64) {
        Map<String, Object> header;
        try {
            header = Json.parseObject(new String(Base64Url.decode(protectedB64, prefix + ".malformed"), StandardCharsets.UTF_8));
        } catch (ProtocolException e) {
            throw new ProtocolException(prefix + ".malformed", "protected header is not a JSON object: " + e.getMessage(), e);
        }
        Object alg = header.get("alg");
        if (!(alg instanceof String) || !ALLOWED_ALGORITHMS.contains(alg)) {
            throw new ProtocolException(prefix + ".alg_not_allowed",
                    "signature algorithm '" + alg + "' is not allowed; only " + ALLOWED_ALGORITHMS);
        }
        for (String name : header.keySet()) {
            if (FORBIDDEN_PARAMETERS.contains(name)) {
                throw new ProtocolException(prefix + ".header_forbidden", "header parameter '" + name + "' is not accepted");
            }
        }
        if (!typ.equals(header.get("typ"))) {
            throw new ProtocolException(prefix + ".typ_invalid", "expected typ '" + typ + "', got '" + header.get("typ") + "'");
        }
        if (!(header.get("kid") instanceof String)) {
            throw new ProtocolException(prefix + ".kid_missing", "protected header has no kid");
        }
        return header;
    }

    /**
     * Resolves the header's kid in the local trust store.
     *
     * @param header checked header
     * @param trust  the trust store
     * @return the key
     * @throws ProtocolException {@code <prefix>.kid_unknown}
     */
    public TrustedKey resolve(Map<String, Object> header, TrustStore trust) {
        String kid = (String) header.get("kid");
        return trust.resolve(kid).orElseThrow(() ->
                new ProtocolException(prefix + ".kid_unknown", "key id " + kid + " is not in the trust store"));
    }
}
