package jp.tsunagu.admin;

/** A failure the CLI reports as {@code error: <message>} with a chosen exit code. */
public class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    /**
     * @param exitCode one of {@link ExitCodes}
     * @param message  what went wrong, for the operator
     */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * @param exitCode one of {@link ExitCodes}
     * @param message  what went wrong
     * @param cause    the underlying failure
     */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** @return the exit code */
    public int exitCode() {
        return exitCode;
    }
}
