package jp.tsunagu.federation.wire;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.jws.JwsPolicy;
import jp.tsunagu.federation.jws.TrustStore;

/**
 * The patient's access report across nodes (scope {@code care-team}): a partner's professional reads
 * the patient's board on her own node's copy, and that node audits the read. The board's home node
 * asks each partner holding a copy for one month of those reads in a {@link Request} signed by itself;
 * the partner answers {@link Reads} signed by itself: per professional of its own, name, profession,
 * facility, how often and on which days. Nothing else of the board and nothing of any other board.
 *
 * <p>The answering node checks, before it reads anything: the calling partner's TLS pin, an active
 * agreement with the {@code care-team} scope, the signature by the calling node's key (the body's
 * {@code node} must be the caller), {@code issuedAt} within {@link #MAX_SKEW} of its clock,
 * {@code requestId} never seen before, a well-formed month, and that the board's copy it holds has the
 * calling node as its home. Each refusal is a stable code, audited, and discloses nothing (a board it
 * does not hold and a board of another home answer alike). The asking node checks the answer's
 * signature by the partner it asked and that it answers its own request id and board.
 */
public final class AccessReadsExchange {

    /** {@code typ} of a signed request for a board's reads. */
    public static final String REQUEST_TYP = "tsunagu-access-reads-request+jws";
    /** {@code typ} of a signed answer. */
    public static final String READS_TYP = "tsunagu-access-reads+jws";
    /** {@code POST} a signed request; the answer is signed reads ({@code application/jose}). */
    public static final String PATH = FederationV1.BASE_PATH + "/access-reads";
    /** How far {@code issuedAt} may be from the receiver's clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final JwsPolicy REQUEST_POLICY = new JwsPolicy(REQUEST_TYP, "access_reads_request");
    private static final JwsPolicy READS_POLICY = new JwsPolicy(READS_TYP, "access_reads");

    private AccessReadsExchange() {
    }

    /**
     * A request for one month of a board's reads.
     *
     * @param requestId a fresh random id; the receiver refuses one it has seen
     * @param node      the asking node (the board's home), which signs
     * @param board     the patient's board id
     * @param month     {@code YYYY-MM}, in Japan time
     * @param issuedAt  when the asking node signed it
     */
    public record Request(String requestId, String node, String board, String month, Instant issuedAt) {

        /**
         * @param identity the asking node; it must be {@link #node()}
         * @return the compact JWS to send
         */
        public String sign(NodeIdentity identity) {
            if (!identity.name().equals(node)) {
                throw new ProtocolException("access_reads_request.node_mismatch", identity.name() + " cannot sign for " + node);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("v", 1L);
            json.put("requestId", requestId);
            json.put("node", node);
            json.put("board", board);
            json.put("month", month);
            json.put("issuedAt", issuedAt.toString());
            return SignedBodies.compact(identity, REQUEST_TYP, json);
        }

        /**
         * @param compact the request body
         * @param trust   the receiver's trust store
         * @return the verified request
         * @throws ProtocolException {@code access_reads_request.malformed}, {@code .signature_invalid},
         *                           {@code .node_mismatch} and the other header codes
         */
        public static Request verify(String compact, TrustStore trust) {
            SignedBodies.Verified v = SignedBodies.verified(compact, trust, REQUEST_POLICY, "access_reads_request");
            try {
                Request r = new Request(v.fields().string("requestId"), v.fields().string("node"),
                        v.fields().string("board"), v.fields().string("month"),
                        Instant.parse(v.fields().string("issuedAt")));
                if (!r.node().equals(v.signer())) {
                    throw new ProtocolException("access_reads_request.node_mismatch", "signed by " + v.signer());
                }
                return r;
            } catch (DateTimeParseException e) {
                throw new ProtocolException("access_reads_request.malformed", "issuedAt is not an ISO-8601 instant", e);
            }
        }
    }

    /**
     * One professional of the answering node who read the board in the month.
     *
     * @param id         her federated id ({@code login@node})
     * @param name       her name
     * @param profession her profession's label
     * @param facility   her facility's name
     * @param count      how many reads
     * @param days       the days ({@code YYYY-MM-DD}, Japan time), ascending
     */
    public record Reader(String id, String name, String profession, String facility, long count, List<String> days) {
    }

    /**
     * The answering node's signed reads of the board in the month.
     *
     * @param requestId the request answered
     * @param node      the answering node, which signs
     * @param board     the board asked about
     * @param month     the month asked about
     * @param readers   its professionals who read the board
     */
    public record Reads(String requestId, String node, String board, String month, List<Reader> readers) {

        /** @return the compact JWS the answering node sends */
        public String sign(NodeIdentity identity) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("v", 1L);
            json.put("requestId", requestId);
            json.put("node", node);
            json.put("board", board);
            json.put("month", month);
            List<Object> list = new ArrayList<>();
            for (Reader r : readers) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("id", r.id());
                one.put("name", r.name());
                one.put("profession", r.profession());
                one.put("facility", r.facility());
                one.put("count", r.count());
                one.put("days", List.copyOf(r.days()));
                list.add(one);
            }
            json.put("readers", list);
            return SignedBodies.compact(identity, READS_TYP, json);
        }

        /**
         * @param compact the answer body
         * @param trust   the asking node's trust store
         * @param from    the partner asked; the answer must be signed by it
         * @return the verified reads
         * @throws ProtocolException {@code access_reads.node_mismatch}, {@code access_reads.malformed},
         *                           {@code access_reads.signature_invalid}
         */
        public static Reads verify(String compact, TrustStore trust, String from) {
            SignedBodies.Verified v = SignedBodies.verified(compact, trust, READS_POLICY, "access_reads");
            if (!v.signer().equals(from) || !v.fields().string("node").equals(from)) {
                throw new ProtocolException("access_reads.node_mismatch", "signed by " + v.signer() + ", asked " + from);
            }
            List<Reader> readers = new ArrayList<>();
            for (Object item : v.fields().array("readers")) {
                var r = jp.tsunagu.federation.json.JsonFields.of(item, "access_reads.malformed", "reader");
                readers.add(new Reader(r.string("id"), r.string("name"), r.string("profession"), r.string("facility"),
                        r.integer("count"), r.strings("days")));
            }
            return new Reads(v.fields().string("requestId"), v.fields().string("node"), v.fields().string("board"),
                    v.fields().string("month"), List.copyOf(readers));
        }
    }
}
