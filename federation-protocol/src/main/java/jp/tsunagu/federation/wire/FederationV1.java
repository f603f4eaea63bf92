package jp.tsunagu.federation.wire;

/** Paths and media types of version 1 of the node-to-node federation API. */
public final class FederationV1 {
    /** Base path every v1 resource lives under. */
    public static final String BASE_PATH = "/federation/v1";
    /** {@code GET}: the node's signed identity and the agreements it shares with the caller. */
    public static final String HELLO = BASE_PATH + "/hello";
    /**
     * {@code POST} (format with board id and event id): a remote write, one envelope signed by the
     * author's node, to the patient's home node; the ids in the path must equal the signed ones.
     * Answers {@code {"event": countersigned}} or a refusal {@code {code, message, requestId}}.
     */
    public static final String SUBMISSION = BASE_PATH + "/boards/%s/submissions/%s";
    /**
     * {@code POST}: a page of remote writes, each one envelope signed by its author's node, to the home node
     * of their boards (any boards of it), {@code {"events": [compact, ...]}} oldest first, at most
     * {@link #SUBMISSION_PAGE_MAX} envelopes of at most {@link #ENVELOPE_MAX_BYTES} each. Each gets the
     * answer the single {@link #SUBMISSION} would give, in order: {@code {"results": [{"event", "status",
     * "envelope"?, "code"?, "message"?}]}}, status {@code accepted} (with the countersigned envelope),
     * {@code rejected} (with its code; the same event always gets the same refusal) or {@code failed}
     * (not settled now, e.g. its files could not be fetched: send it again later). Added beside
     * {@link #SUBMISSION}, which stays: a node that answers this path with 404 has only the single route,
     * and a caller falls back to it for that node.
     */
    public static final String SUBMISSIONS = BASE_PATH + "/submissions";
    /** Most envelopes in one page of {@link #SUBMISSIONS}. */
    public static final int SUBMISSION_PAGE_MAX = 200;
    /** {@code GET}: the boards homed at the answering node that the caller receives, {@code {"boards":[{id, seq}]}}. */
    public static final String BOARDS = BASE_PATH + "/boards";
    /**
     * (format with board id) {@code GET ?after=N[&acked=M]}: the board's countersigned events after seq N,
     * {@code {"events":[...]}} (pull; the caller has applied up to M, by default N); {@code POST
     * {"events":[...]}}: the home node pushing them, answered with the receiver's cursor and the fate of
     * each event, {@code {"cursor": N, "results": [{"seq", "event", "status", "code"?}]}}, status one of
     * {@code accepted}, {@code held}, {@code rejected} (with its code; its seq is passed; {@code sync.seq_conflict}
     * when the receiver holds another event at that seq) or {@code deferred}.
     */
    public static final String BOARD_EVENTS = BASE_PATH + "/boards/%s/events";
    /**
     * (format with board id) {@code POST}: the board's home node offering one of the receiver's own
     * professionals a place in the team (or withdrawing the offer): one envelope signed by the home
     * node, of type {@code care.invitation.offered} or {@code care.invitation.withdrawn}. The
     * receiver keeps it as an invitation its professional accepts or declines; the team's history
     * flows only after acceptance. Answers {@code {"status": "received"}} or a refusal.
     */
    public static final String INVITATION = BASE_PATH + "/boards/%s/invitation";
    /**
     * {@code GET}: the answering node's replicas of boards homed at the caller, with how far each has
     * applied, {@code {"replicas":[{id, cursor}]}}. A home node asks at start whether a partner holds
     * more of its boards than it does (it was restored from an older backup); only the caller's own
     * boards are listed.
     */
    public static final String REPLICAS = BASE_PATH + "/replicas";
    /**
     * (format with board id) {@code GET ?after=N}: a page of the answering node's replica of a board
     * after seq N, {@code {"cursor": N, "events":[...]}}: the envelopes exactly as the home node
     * countersigned them. Served only to the board's home node (anyone else gets 404), which takes back
     * the events it lost by a restore; it verifies each as countersigned by itself.
     */
    public static final String REPLICA_EVENTS = BASE_PATH + "/replicas/%s/events";
    /** Largest single envelope (a submission or an invitation); a page of pushed events may be larger. */
    public static final int ENVELOPE_MAX_BYTES = 1024 * 1024;
    /** (format with a SHA-256 in hex) {@code GET}: an attachment of a shared post, by its hash. */
    public static final String ATTACHMENT = BASE_PATH + "/attachments/%s";
    /** Media type of a compact JWS body. */
    public static final String JOSE = "application/jose";

    private FederationV1() {
    }
}
