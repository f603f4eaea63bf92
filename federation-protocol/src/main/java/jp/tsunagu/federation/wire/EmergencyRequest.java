package jp.tsunagu.federation.wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.FederatedId;
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
 * A responder's emergency request to a patient's home node (救急情報連携 across municipal borders,
 * scope {@code emergency-access}), signed by the responder's node as a compact JWS
 * ({@code typ: tsunagu-emergency-request+jws}, sent as {@code application/jose}).
 *
 * <p>The receiving node checks, before it looks anyone up: the calling partner's TLS pin, an active
 * agreement with the {@code emergency-access} scope, the signature by the calling node's key (the
 * body's {@code node} must be the caller), {@code role} = {@code emergency_responder}, the responder
 * a person of the calling node and the same as the {@link #RESPONDER_HEADER} header, the patient id
 * (or access id) of the path the same as the body's, {@code issuedAt} within {@link #MAX_SKEW} of its clock, and
 * {@code requestId} never seen before (a replay is refused). Every refusal is the same whether or not
 * the person exists.
 *
 * @param requestId      a fresh random id; the receiver refuses one it has seen
 * @param node           the calling node, which signs
 * @param responder      the responder, a person of {@code node}
 * @param role           the responder's role as the calling node holds it ({@code emergency_responder})
 * @param responderName  the responder's name, for the notice to the patient's team
 * @param reason         why the record is opened (required)
 * @param dispatchNumber the 出場番号 (required)
 * @param action         {@link #SEARCH}, {@link #OPEN} or {@link #VIEW}
 * @param patientId      the patient opened ({@link #OPEN}), or empty
 * @param search         search terms ({@link #SEARCH}): {@code name}, {@code birthDate}, {@code phone}, {@code address}
 * @param issuedAt       when the calling node signed it
 * @param accessId       the home node's access read again ({@link #VIEW}), or empty
 */
public record EmergencyRequest(String requestId, String node, FederatedId responder, String role, String responderName,
        String reason, String dispatchNumber, String action, String patientId, Map<String, String> search,
        Instant issuedAt, String accessId) {
    /** {@code typ} of a signed emergency request. */
    public static final String TYP = "tsunagu-emergency-request+jws";
    /** The role a responder must hold. */
    public static final String RESPONDER_ROLE = "emergency_responder";
    /** Search the home node's patients. */
    public static final String SEARCH = "search";
    /** Open one patient's limited view. */
    public static final String OPEN = "open";
    /** Read an open access's view again, within its time, as the responder who opened it. */
    public static final String VIEW = "view";
    /** {@code POST}: a search ({@link #SEARCH}). */
    public static final String SEARCH_PATH = FederationV1.BASE_PATH + "/emergency/searches";
    /** {@code POST}, with the patient id: an access ({@link #OPEN}). */
    public static final String ACCESS_PATH = FederationV1.BASE_PATH + "/emergency/patients/%s/accesses";
    /** {@code POST}, with the home node's access id: the view of an open access ({@link #VIEW}). */
    public static final String VIEW_PATH = FederationV1.BASE_PATH + "/emergency/accesses/%s/view";
    /** The responder's federated id, repeated outside the signature; it must match the body. */
    public static final String RESPONDER_HEADER = "Tsunagu-Responder";
    /** How far {@code issuedAt} may be from the receiver's clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final JwsPolicy POLICY = new JwsPolicy(TYP, "emergency_request");

    /** Copies the search terms. */
    public EmergencyRequest {
        search = Map.copyOf(new TreeMap<>(search));
    }

    /**
     * @param identity the calling node; it must be {@link #node()}
     * @return the compact JWS to send
     * @throws ProtocolException {@code emergency_request.node_mismatch} when the request is not this node's
     */
    public String sign(NodeIdentity identity) {
        if (!identity.name().equals(node) || !responder.node().equals(node)) {
            throw new ProtocolException("emergency_request.node_mismatch",
                    identity.name() + " cannot sign a request of " + node + " for " + responder);
        }
        String payloadB64 = Base64Url.encode(CanonicalJson.bytes(toJson()));
        JwsSignature signature = JwsSignature.sign(identity.signingKey(), TYP, Map.of(), payloadB64);
        return signature.protectedHeader() + "." + payloadB64 + "." + signature.signature();
    }

    /**
     * Verifies the signature and the shape; the receiver's other checks are its own.
     *
     * @param compact the request body
     * @param trust   the receiver's trust store (its partners from active agreements)
     * @return the request
     * @throws ProtocolException {@code emergency_request.malformed}, {@code emergency_request.signature_invalid},
     *                           {@code emergency_request.kid_unknown}, {@code emergency_request.node_mismatch}
     *                           and the other {@code emergency_request.*} header codes
     */
    public static EmergencyRequest verify(String compact, TrustStore trust) {
        String[] parts = compact == null ? new String[0] : compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new ProtocolException("emergency_request.malformed", "a compact JWS has three parts");
        }
        TrustedKey signer = POLICY.resolve(POLICY.check(parts[0]), trust);
        new JwsSignature(parts[0], parts[2]).verify(signer.key(), parts[1], "emergency_request.signature_invalid");
        String body = new String(Base64Url.decode(parts[1], "emergency_request.malformed"), StandardCharsets.UTF_8);
        EmergencyRequest request;
        try {
            request = fromJson(JsonFields.of(Json.parse(body), "emergency_request.malformed", "emergency request"));
        } catch (ProtocolException e) {
            throw e.code().startsWith("emergency_request.") ? e
                    : new ProtocolException("emergency_request.malformed", e.getMessage(), e);
        }
        if (!request.node().equals(signer.node()) || !request.responder().node().equals(signer.node())) {
            throw new ProtocolException("emergency_request.node_mismatch",
                    "a request of " + request.node() + " for " + request.responder() + " signed by " + signer.node());
        }
        return request;
    }

    /** @return the JSON members */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("v", 1L);
        json.put("requestId", requestId);
        json.put("node", node);
        json.put("responder", responder.toString());
        json.put("role", role);
        json.put("responderName", responderName);
        json.put("reason", reason);
        json.put("dispatchNumber", dispatchNumber);
        json.put("action", action);
        json.put("patientId", patientId);
        json.put("search", new TreeMap<>(search));
        json.put("issuedAt", issuedAt.toString());
        json.put("accessId", accessId);
        return json;
    }

    private static EmergencyRequest fromJson(JsonFields fields) {
        if (fields.integer("v") != 1) {
            throw new ProtocolException("emergency_request.version_unsupported", "version " + fields.integer("v"));
        }
        Map<String, String> search = new TreeMap<>();
        fields.object("search").object().forEach((key, value) -> {
            if (!(value instanceof String text)) {
                throw new ProtocolException("emergency_request.malformed", "search terms are strings");
            }
            search.put(key, text);
        });
        String action = fields.string("action");
        if (!SEARCH.equals(action) && !OPEN.equals(action) && !VIEW.equals(action)) {
            throw new ProtocolException("emergency_request.malformed", "unknown action " + action);
        }
        try {
            return new EmergencyRequest(fields.string("requestId"), fields.string("node"),
                    FederatedId.parse(fields.string("responder")), fields.string("role"),
                    fields.string("responderName"), fields.string("reason"), fields.string("dispatchNumber"), action,
                    fields.string("patientId"), search, Instant.parse(fields.string("issuedAt")),
                    fields.string("accessId"));
        } catch (DateTimeParseException e) {
            throw new ProtocolException("emergency_request.malformed", "issuedAt is not an ISO-8601 instant", e);
        }
    }
}
