package jp.tsunagu.federation.agreement;

/** Where one party of an agreement stands. */
public enum PartyStatus {
    /** Its signature is present and verified. */
    SIGNED("signed"),
    /** Its signature is missing (for an amendment: the amendment rule may not need it). */
    UNSIGNED("unsigned"),
    /** It has withdrawn; nothing flows to or from it under this agreement. */
    WITHDRAWN("withdrawn");

    private final String wireName;

    PartyStatus(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name used in JSON and the CLI */
    public String wireName() {
        return wireName;
    }
}
