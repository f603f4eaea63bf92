package jp.tsunagu.federation.envelope;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.SigningKey;
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
 * Signed event envelopes: compact JWS (RFC 7515) over the canonical JSON of an {@link Event}.
 *
 * <p>A remote write is signed by the author's node ({@code typ: tsunagu-event+jws}); the home node
 * verifies it, sequences it and countersigns it ({@code typ: tsunagu-event-countersigned+jws}) with a
 * body that embeds the original envelope unchanged, so every replica can check both the author's
 * node and the home node. Verification checks the node that signed, not the node that delivered:
 * the signer's key must be trusted for the very node the body names.
 */
public final class EventEnvelope {
    /** {@code typ} of an event signed by its origin node. */
    public static final String EVENT_TYP = "tsunagu-event+jws";
    /** {@code typ} of an event countersigned by its home node. */
    public static final String COUNTERSIGNED_TYP = "tsunagu-event-countersigned+jws";

    private static final JwsPolicy EVENT = new JwsPolicy(EVENT_TYP, "envelope");
    private static final JwsPolicy COUNTERSIGNED = new JwsPolicy(COUNTERSIGNED_TYP, "envelope");

    private EventEnvelope() {
    }

    /**
     * Signs an event as its origin node.
     *
     * @param event    the event; its {@code origin} must be this node
     * @param identity the origin node's identity
     * @return the compact JWS
     * @throws ProtocolException {@code envelope.origin_mismatch} when the event is not this node's
     */
    public static String sign(Event event, NodeIdentity identity) {
        if (!event.origin().equals(identity.name())) {
            throw new ProtocolException("envelope.origin_mismatch",
                    "node " + identity.name() + " cannot sign an event of origin " + event.origin());
        }
        return compact(identity.signingKey(), EVENT_TYP, event.toJson());
    }

    /**
     * Verifies an envelope signed by an origin node.
     *
     * @param compact the compact JWS
     * @param trust   the local trust store
     * @return the verified event
     * @throws ProtocolException {@code envelope.malformed}, {@code envelope.alg_not_allowed},
     *                           {@code envelope.header_forbidden}, {@code envelope.typ_invalid},
     *                           {@code envelope.kid_unknown}, {@code envelope.signature_invalid},
     *                           {@code envelope.origin_mismatch}
     */
    public static VerifiedEvent verify(String compact, TrustStore trust) {
        return verify(compact, trust, true);
    }

    private static VerifiedEvent verify(String compact, TrustStore trust, boolean checkSignature) {
        Verified verified = verifyCompact(compact, EVENT, trust, checkSignature);
        Event event = Event.fromJson(verified.body());
        requireSigner(verified.signer(), event.origin(), "origin");
        return new VerifiedEvent(event, verified.signer().key().keyId(), compact);
    }

    /**
     * Countersigns a verified event as its home node.
     *
     * @param event      the verified origin event
     * @param sequence   the sequence number the home node gave it
     * @param acceptedAt when the home node accepted it
     * @param home       the home node's identity
     * @return the countersigned compact JWS
     * @throws ProtocolException {@code envelope.not_home_node} when this node is not the event's home
     */
    public static String countersign(VerifiedEvent event, long sequence, Instant acceptedAt, NodeIdentity home) {
        if (!event.event().home().equals(home.name())) {
            throw new ProtocolException("envelope.not_home_node",
                    home.name() + " is not the home node of event " + event.event().id());
        }
        return countersignAccepted(event.event().id(), event.compact(), sequence, acceptedAt, home);
    }

    /**
     * Countersigns an origin envelope this home node verified and accepted earlier, by the event's id, without
     * reading the envelope again: the same bytes as {@link #countersign} gives for it. The caller vouches
     * that this node is the event's home (it checked so when it accepted the event).
     *
     * @param eventId       the id of the event the origin envelope carries
     * @param originCompact the origin's compact JWS, unchanged
     * @param sequence      the sequence number the home node gave it
     * @param acceptedAt    when the home node accepted it
     * @param home          the home node's identity
     * @return the countersigned compact JWS
     */
    public static String countersignAccepted(String eventId, String originCompact, long sequence, Instant acceptedAt,
            NodeIdentity home) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("v", Event.VERSION);
        body.put("eventId", eventId);
        body.put("home", home.name());
        body.put("sequence", sequence);
        body.put("acceptedAt", acceptedAt.toString());
        body.put("event", originCompact);
        return compact(home.signingKey(), COUNTERSIGNED_TYP, body);
    }

    /**
     * Verifies a countersigned event: the home node's signature, then the embedded origin event.
     *
     * @param compact the countersigned compact JWS
     * @param trust   the local trust store
     * @return the sequenced event
     * @throws ProtocolException the codes of {@link #verify}, and {@code envelope.not_home_node} or
     *                           {@code envelope.id_mismatch} when the two layers disagree
     */
    public static SequencedEvent verifyCountersigned(String compact, TrustStore trust) {
        return verifyCountersigned(compact, trust, origin -> false);
    }

    /**
     * Verifies a countersigned event as {@link #verifyCountersigned(String, TrustStore)} does, except the
     * origin's signature when the embedded origin envelope is, byte for byte, one the caller made itself
     * ({@code signedHere}: a node that submitted its own write and gets it back countersigned). Its signature
     * is the caller's own work, so checking it proves nothing; every other check (the header's policy, the key
     * by id in the trust store, the signer named as origin, the body, both layers agreeing) still runs.
     *
     * @param compact    the countersigned compact JWS
     * @param trust      the local trust store
     * @param signedHere whether an origin envelope is exactly one the caller signed and holds
     * @return the sequenced event
     * @throws ProtocolException as {@link #verifyCountersigned(String, TrustStore)}
     */
    public static SequencedEvent verifyCountersigned(String compact, TrustStore trust, Predicate<String> signedHere) {
        Verified verified = verifyCompact(compact, COUNTERSIGNED, trust, true);
        JsonFields body = verified.body();
        if (body.integer("v") != Event.VERSION) {
            throw new ProtocolException("envelope.version_unsupported", "countersignature version " + body.integer("v"));
        }
        String home = body.string("home");
        requireSigner(verified.signer(), home, "home");
        String originCompact = body.string("event");
        VerifiedEvent origin = verify(originCompact, trust, !signedHere.test(originCompact));
        if (!origin.event().home().equals(home)) {
            throw new ProtocolException("envelope.not_home_node", home + " countersigned an event whose home is " + origin.event().home());
        }
        if (!origin.event().id().equals(body.string("eventId"))) {
            throw new ProtocolException("envelope.id_mismatch", "countersignature names another event than it embeds");
        }
        return new SequencedEvent(origin, body.integer("sequence"), Event.instant(body, "acceptedAt"),
                verified.signer().key().keyId(), compact);
    }

    private record Verified(TrustedKey signer, JsonFields body) {
    }

    private static String compact(SigningKey key, String typ, Map<String, Object> body) {
        String payloadB64 = Base64Url.encode(CanonicalJson.bytes(body));
        JwsSignature signature = JwsSignature.sign(key, typ, Map.of(), payloadB64);
        return signature.protectedHeader() + "." + payloadB64 + "." + signature.signature();
    }

    private static Verified verifyCompact(String compact, JwsPolicy policy, TrustStore trust, boolean checkSignature) {
        String[] parts = compact == null ? new String[0] : compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new ProtocolException("envelope.malformed", "a compact JWS has three parts");
        }
        Map<String, Object> header = policy.check(parts[0]);
        TrustedKey signer = policy.resolve(header, trust);
        if (checkSignature) {
            new JwsSignature(parts[0], parts[2]).verify(signer.key(), parts[1], "envelope.signature_invalid");
        }
        String body = new String(Base64Url.decode(parts[1], "envelope.malformed"), StandardCharsets.UTF_8);
        try {
            return new Verified(signer, JsonFields.of(Json.parse(body), "envelope.malformed", "event body"));
        } catch (ProtocolException e) {
            throw e.code().startsWith("envelope.") ? e
                    : new ProtocolException("envelope.malformed", "event body is not JSON: " + e.getMessage(), e);
        }
    }

    private static void requireSigner(TrustedKey signer, String claimedNode, String role) {
        if (!signer.node().equals(claimedNode)) {
            throw new ProtocolException("envelope.origin_mismatch",
                    "signed by " + signer.node() + " but the body names " + claimedNode + " as " + role);
        }
    }
}
