package jp.tsunagu.federation;

import java.util.Objects;

/**
 * The single failure type of the federation protocol library.
 *
 * <p>Every failure carries a stable dotted {@link #code()} (for example
 * {@code agreement.signature_invalid}) that callers, the node's error handler and the admin CLI
 * match on, and a human message that may change between versions. Codes never change meaning once
 * released.
 */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    /**
     * @param code    stable dotted error code
     * @param message human readable explanation, never containing key material
     */
    public ProtocolException(String code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code    stable dotted error code
     * @param message human readable explanation, never containing key material
     * @param cause   the underlying failure
     */
    public ProtocolException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the stable dotted error code, such as {@code agreement.signature_invalid} */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
