package jp.tsunagu.admin.backup;

/**
 * A step of a backup command that failed: which step, and the stable code of why. The commands
 * print it, record it with the backup where that applies, and exit with the code's exit status.
 */
final class StepFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String step;
    private final String code;
    private final int exitCode;

    StepFailure(String step, String code, String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.step = step;
        this.code = code;
        this.exitCode = exitCode;
    }

    /** @return the command's exit status: 1 for a backup that failed a check, 3 for input, 4 for the node */
    int exitCode() {
        return exitCode;
    }

    String step() {
        return step;
    }

    String code() {
        return code;
    }
}
