package jp.tsunagu.federation.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;
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
 * The body of {@code GET /federation/v1/hello}: the answering node's identity card and the
 * agreements it shares with the caller, signed by the answering node as a compact JWS
 * ({@code typ: tsunagu-hello+jws}, served as {@code application/jose}).
 *
 * @param protocolVersion always 1 here
 * @param node            the answering node's card
 * @param agreements      agreements naming both nodes
 * @param time            when the answer was made
 */
public record HelloResponse(long protocolVersion, NodeCard node, List<SharedAgreement> agreements, Instant time) {
    /** {@code typ} of a signed hello. */
    public static final String TYP = "tsunagu-hello+jws";
    private static final JwsPolicy POLICY = new JwsPolicy(TYP, "hello");

    /** Copies the list. */
    public HelloResponse {
        agreements = List.copyOf(agreements);
    }

    /**
     * @param identity   the answering node
     * @param agreements the agreements shared with the caller
     * @param now        the time of the answer
     * @return the compact JWS to send
     */
    public static String sign(NodeIdentity identity, List<SharedAgreement> agreements, Instant now) {
        HelloResponse hello = new HelloResponse(1, identity.card(), agreements, now);
        String payloadB64 = Base64Url.encode(CanonicalJson.bytes(hello.toJson()));
        JwsSignature signature = JwsSignature.sign(identity.signingKey(), TYP, Map.of(), payloadB64);
        return signature.protectedHeader() + "." + payloadB64 + "." + signature.signature();
    }

    /**
     * Verifies a hello against the caller's trust store: the signer must be the node the card names.
     *
     * @param compact the response body
     * @param trust   the caller's trust store (its partners from active agreements)
     * @return the response
     * @throws ProtocolException {@code hello.malformed}, {@code hello.kid_unknown}, {@code hello.signature_invalid},
     *                           {@code hello.node_mismatch} and the other {@code hello.*} header codes
     */
    public static HelloResponse verify(String compact, TrustStore trust) {
        String[] parts = compact == null ? new String[0] : compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new ProtocolException("hello.malformed", "a compact JWS has three parts");
        }
        TrustedKey signer = POLICY.resolve(POLICY.check(parts[0]), trust);
        new JwsSignature(parts[0], parts[2]).verify(signer.key(), parts[1], "hello.signature_invalid");
        String body = new String(Base64Url.decode(parts[1], "hello.malformed"), StandardCharsets.UTF_8);
        HelloResponse hello = fromJson(JsonFields.of(Json.parse(body), "hello.malformed", "hello"));
        if (!hello.node().profile().name().equals(signer.node())) {
            throw new ProtocolException("hello.node_mismatch", "hello for " + hello.node().profile().name() + " signed by " + signer.node());
        }
        return hello;
    }

    /** @return the JSON members */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("protocolVersion", protocolVersion);
        json.put("node", node.toJson());
        json.put("agreements", agreements.stream().map(SharedAgreement::toJson).toList());
        json.put("time", time.toString());
        return json;
    }

    /**
     * @param fields JSON members
     * @return the response
     */
    public static HelloResponse fromJson(JsonFields fields) {
        if (fields.integer("protocolVersion") != 1) {
            throw new ProtocolException("hello.version_unsupported", "protocol version " + fields.integer("protocolVersion"));
        }
        List<SharedAgreement> agreements = new ArrayList<>();
        for (Object item : fields.array("agreements")) {
            agreements.add(SharedAgreement.fromJson(JsonFields.of(item, fields.code(), "agreement")));
        }
        try {
            return new HelloResponse(1, NodeCard.fromJson(fields.object("node")), agreements, Instant.parse(fields.string("time")));
        } catch (DateTimeParseException e) {
            throw new ProtocolException("hello.malformed", "time is not an ISO-8601 instant", e);
        }
    }
}
