package jp.tsunagu.federation.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * A node's published regional resources as it shares them with partners under the
 * {@code resources-directory} scope ({@code GET} {@link #PATH}): a compact JWS
 * ({@code typ: tsunagu-resources+jws}) signed by the publishing node, so a copy kept or passed on by
 * another node still proves where it came from and that it was not changed. The library checks the
 * signature and the envelope; what a resource holds ({@code vocabulary}, {@code resources}) is the
 * node's own format, validated by the node that reads it.
 *
 * @param node       the publishing node, the signer
 * @param issuedAt   when the listing was made
 * @param vocabulary the publisher's categories and tags, so its codes can be named
 * @param resources  the published resources, each an object with a string {@code id}
 * @param compact    the signed form, as received or made
 */
public record ResourceListing(String node, Instant issuedAt, Map<String, Object> vocabulary,
                              List<Map<String, Object>> resources, String compact) {
    /** {@code GET}: the answering node's published resources, signed. */
    public static final String PATH = FederationV1.BASE_PATH + "/directory/resources";
    /** {@code typ} of a signed listing. */
    public static final String TYP = "tsunagu-resources+jws";
    /** Most resources one listing holds. */
    public static final int MAX_RESOURCES = 20_000;
    private static final JwsPolicy POLICY = new JwsPolicy(TYP, "listing");

    /** Copies the collections. */
    public ResourceListing {
        vocabulary = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vocabulary));
        resources = List.copyOf(resources);
    }

    /**
     * Signs a listing as the publishing node.
     *
     * @param identity   the publishing node
     * @param vocabulary its categories and tags (JSON values)
     * @param resources  its published resources (JSON objects with a string {@code id})
     * @param now        the time of issue
     * @return the signed listing
     */
    public static ResourceListing sign(NodeIdentity identity, Map<String, Object> vocabulary,
                                       List<Map<String, Object>> resources, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("v", 1L);
        body.put("node", identity.name());
        body.put("issuedAt", now.toString());
        body.put("vocabulary", vocabulary);
        body.put("resources", resources);
        String payloadB64 = Base64Url.encode(CanonicalJson.bytes(body));
        JwsSignature signature = JwsSignature.sign(identity.signingKey(), TYP, Map.of(), payloadB64);
        String compact = signature.protectedHeader() + "." + payloadB64 + "." + signature.signature();
        return new ResourceListing(identity.name(), now, vocabulary, resources, compact);
    }

    /**
     * Verifies a signed listing against the reader's trust store: the signer's key must be trusted for
     * the very node the body names, whoever delivered it.
     *
     * @param compact the compact JWS
     * @param trust   the reader's trust store (its partners from active agreements)
     * @return the listing
     * @throws ProtocolException {@code listing.malformed}, {@code listing.kid_unknown},
     *                           {@code listing.signature_invalid}, {@code listing.node_mismatch} and the
     *                           other {@code listing.*} header codes of {@link JwsPolicy}
     */
    public static ResourceListing verify(String compact, TrustStore trust) {
        String[] parts = compact == null ? new String[0] : compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new ProtocolException("listing.malformed", "a compact JWS has three parts");
        }
        TrustedKey signer = POLICY.resolve(POLICY.check(parts[0]), trust);
        new JwsSignature(parts[0], parts[2]).verify(signer.key(), parts[1], "listing.signature_invalid");
        String text = new String(Base64Url.decode(parts[1], "listing.malformed"), StandardCharsets.UTF_8);
        JsonFields body = body(text);
        if (body.integer("v") != 1) {
            throw new ProtocolException("listing.version_unsupported", "listing version " + body.integer("v"));
        }
        String node = body.string("node");
        if (!node.equals(signer.node())) {
            throw new ProtocolException("listing.node_mismatch", "listing of " + node + " signed by " + signer.node());
        }
        List<Object> items = body.array("resources");
        if (items.size() > MAX_RESOURCES) {
            throw new ProtocolException("listing.malformed", "a listing holds at most " + MAX_RESOURCES + " resources");
        }
        List<Map<String, Object>> resources = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonFields resource = JsonFields.of(items.get(i), "listing.malformed", "resources[" + i + "]");
            resource.string("id");
            resources.add(resource.object());
        }
        return new ResourceListing(node, issuedAt(body), body.object("vocabulary").object(), resources, compact);
    }

    private static JsonFields body(String text) {
        try {
            return JsonFields.of(Json.parse(text), "listing.malformed", "listing");
        } catch (ProtocolException e) {
            throw e.code().startsWith("listing.") ? e
                    : new ProtocolException("listing.malformed", "listing body is not JSON: " + e.getMessage(), e);
        }
    }

    private static Instant issuedAt(JsonFields body) {
        try {
            return Instant.parse(body.string("issuedAt"));
        } catch (DateTimeParseException e) {
            throw new ProtocolException("listing.malformed", "issuedAt is not an ISO-8601 instant", e);
        }
    }
}
