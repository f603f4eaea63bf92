package jp.tsunagu.federation.wire;

/** Paths and media types of version 1 of the node-to-node federation API. */
public final class FederationV1 {
    /** Base path every v1 resource lives under. */
    public static final String BASE_PATH = "/federation/v1";
    /** {@code GET}: the node's signed identity and the agreements it shares with the caller. */
    public static final String HELLO = BASE_PATH + "/hello";
    /** {@code POST}: a remote write, one event envelope, to the patient's home node. */
    public static final String EVENTS = BASE_PATH + "/events";
    /** Media type of a compact JWS body. */
    public static final String JOSE = "application/jose";

    private FederationV1() {
    }
}
