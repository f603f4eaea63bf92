package jp.tsunagu.federation.wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * The pact report's exchange (scope {@code statistics}): a node asks a partner for its usage figures of
 * some months in a {@link Request} signed by the asking node; the partner answers a {@link Summary}
 * signed by itself, counts only (never a row about a person), with every count under
 * {@link #SMALL_CELL} suppressed before it leaves the answering node.
 *
 * <p>The answering node checks, before it counts anything: the calling partner's TLS pin, an active
 * agreement with the {@code statistics} scope (else {@code federation.scope_not_granted}, nothing
 * disclosed), the signature by the calling node's key (the body's {@code node} must be the caller),
 * {@code issuedAt} within {@link #MAX_SKEW} of its clock, {@code requestId} never seen before, and a
 * period of well-formed months of at most its own limit. The asking node checks the summary's signature
 * by the partner it asked and that it answers its own request id.
 */
public final class StatisticsExchange {

    /** {@code typ} of a signed statistics request. */
    public static final String REQUEST_TYP = "tsunagu-statistics-request+jws";
    /** {@code typ} of a signed statistics summary. */
    public static final String SUMMARY_TYP = "tsunagu-statistics-summary+jws";
    /** {@code POST} a signed request; the answer is a signed summary ({@code application/jose}). */
    public static final String PATH = FederationV1.BASE_PATH + "/statistics/summaries";
    /** How far {@code issuedAt} may be from the receiver's clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** Counts under this are suppressed on the answering node. */
    public static final int SMALL_CELL = 5;

    private static final JwsPolicy REQUEST_POLICY = new JwsPolicy(REQUEST_TYP, "statistics_request");
    private static final JwsPolicy SUMMARY_POLICY = new JwsPolicy(SUMMARY_TYP, "statistics_summary");

    private StatisticsExchange() {
    }

    /**
     * A request for the figures of the months {@code from} to {@code to} ({@code YYYY-MM}, inclusive).
     *
     * @param requestId a fresh random id; the receiver refuses one it has seen
     * @param node      the asking node, which signs
     * @param from      the first month
     * @param to        the last month
     * @param issuedAt  when the asking node signed it
     */
    public record Request(String requestId, String node, String from, String to, Instant issuedAt) {

        /**
         * @param identity the asking node; it must be {@link #node()}
         * @return the compact JWS to send
         */
        public String sign(NodeIdentity identity) {
            if (!identity.name().equals(node)) {
                throw new ProtocolException("statistics_request.node_mismatch", identity.name() + " cannot sign for " + node);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("v", 1L);
            json.put("requestId", requestId);
            json.put("node", node);
            json.put("from", from);
            json.put("to", to);
            json.put("issuedAt", issuedAt.toString());
            return compact(identity, REQUEST_TYP, json);
        }

        /**
         * @param compact the request body
         * @param trust   the receiver's trust store
         * @return the verified request
         * @throws ProtocolException {@code statistics_request.malformed}, {@code statistics_request.signature_invalid},
         *                           {@code statistics_request.node_mismatch} and the other header codes
         */
        public static Request verify(String compact, TrustStore trust) {
            Verified v = verified(compact, trust, REQUEST_POLICY, "statistics_request");
            try {
                Request r = new Request(v.fields().string("requestId"), v.fields().string("node"),
                        v.fields().string("from"), v.fields().string("to"), Instant.parse(v.fields().string("issuedAt")));
                if (!r.node().equals(v.signer())) {
                    throw new ProtocolException("statistics_request.node_mismatch", "signed by " + v.signer());
                }
                return r;
            } catch (DateTimeParseException e) {
                throw new ProtocolException("statistics_request.malformed", "issuedAt is not an ISO-8601 instant", e);
            }
        }
    }

    /**
     * A partner's signed answer: per month, figure keys and their counts; the keys whose count was under
     * {@link #SMALL_CELL} are listed in {@code suppressed} and have no count.
     *
     * @param requestId  the request answered
     * @param node       the answering node, which signs
     * @param labels     the label of each key (Japanese)
     * @param months     per month ({@code YYYY-MM}) the counts
     * @param suppressed per month the keys whose count was suppressed
     */
    public record Summary(String requestId, String node, Map<String, String> labels, Map<String, Map<String, Long>> months,
            Map<String, List<String>> suppressed) {

        /** @return the compact JWS the answering node sends */
        public String sign(NodeIdentity identity) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("v", 1L);
            json.put("requestId", requestId);
            json.put("node", node);
            json.put("smallCell", (long) SMALL_CELL);
            json.put("labels", new TreeMap<>(labels));
            Map<String, Object> m = new TreeMap<>();
            months.forEach((month, counts) -> m.put(month, new TreeMap<>(counts)));
            json.put("months", m);
            Map<String, Object> s = new TreeMap<>();
            suppressed.forEach((month, keys) -> s.put(month, List.copyOf(keys)));
            json.put("suppressed", s);
            return compact(identity, SUMMARY_TYP, json);
        }

        /**
         * @param compact the answer body
         * @param trust   the asking node's trust store
         * @param from    the partner asked; the summary must be signed by it
         * @return the verified summary
         */
        public static Summary verify(String compact, TrustStore trust, String from) {
            Verified v = verified(compact, trust, SUMMARY_POLICY, "statistics_summary");
            JsonFields f = v.fields();
            if (!v.signer().equals(from) || !f.string("node").equals(from)) {
                throw new ProtocolException("statistics_summary.node_mismatch", "signed by " + v.signer() + ", asked " + from);
            }
            Map<String, String> labels = new TreeMap<>();
            f.object("labels").object().forEach((k, value) -> labels.put(k, String.valueOf(value)));
            Map<String, Map<String, Long>> months = new TreeMap<>();
            f.object("months").object().forEach((month, counts) -> {
                Map<String, Long> c = new TreeMap<>();
                JsonFields.of(counts, "statistics_summary.malformed", "counts").object().forEach((k, n) -> {
                    if (!(n instanceof Number number)) {
                        throw new ProtocolException("statistics_summary.malformed", "counts are numbers");
                    }
                    c.put(k, number.longValue());
                });
                months.put(month, c);
            });
            Map<String, List<String>> suppressed = new TreeMap<>();
            f.object("suppressed").object().forEach((month, keys) -> suppressed.put(month,
                    JsonFields.of(Map.of("k", keys), "statistics_summary.malformed", "suppressed").strings("k")));
            return new Summary(f.string("requestId"), f.string("node"), labels, months, suppressed);
        }
    }

    private record Verified(String signer, JsonFields fields) {
    }

    private static String compact(NodeIdentity identity, String typ, Map<String, Object> json) {
        return SignedBodies.compact(identity, typ, json);
    }

    private static Verified verified(String compact, TrustStore trust, JwsPolicy policy, String prefix) {
        SignedBodies.Verified v = SignedBodies.verified(compact, trust, policy, prefix);
        return new Verified(v.signer(), v.fields());
    }
}
