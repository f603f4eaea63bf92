package jp.tsunagu.federation.agreement;

/** Where an agreement stands at a given instant. */
public enum AgreementStatus {
    /** Signatures required for it to take effect are missing. */
    DRAFT("draft"),
    /** Every required signature verified and the instant is within its validity. */
    ACTIVE("active"),
    /** Fully signed, but its validity has not begun. */
    NOT_YET_VALID("not-yet-valid"),
    /** Fully signed, but its validity has ended. */
    EXPIRED("expired"),
    /** A later version that verified replaces it. */
    SUPERSEDED("superseded");

    private final String wireName;

    AgreementStatus(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name used in JSON and the CLI, e.g. {@code not-yet-valid} */
    public String wireName() {
        return wireName;
    }
}
