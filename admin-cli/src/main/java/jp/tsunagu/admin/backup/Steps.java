package jp.tsunagu.admin.backup;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.ProtocolException;

/**
 * Runs the steps of {@code backup verify}, {@code restore} and {@code drill} one after the other and
 * prints each as it ends: its name, ok or FAILED, how long it took, and what it found. A step that
 * fails ends the run with a {@link StepFailure} naming it.
 */
final class Steps {
    private final PrintWriter out;
    private long startedAt = System.nanoTime();

    Steps(PrintWriter out) {
        this.out = out;
    }

    /** Runs a step whose result is described by {@code detail}. */
    <T> T run(String step, Callable<T> body, Function<T, String> detail) {
        long start = System.nanoTime();
        T result;
        try {
            result = body.call();
        } catch (StepFailure e) {
            print(step, "FAILED", start, e.code() + ": " + e.getMessage());
            throw e;
        } catch (ProtocolException e) {
            print(step, "FAILED", start, e.code() + ": " + e.getMessage());
            throw new StepFailure(step, e.code(), e.getMessage(), ExitCodes.of(e), e);
        } catch (CliException e) {
            print(step, "FAILED", start, e.getMessage());
            String code = codeOf(e.getMessage());
            String message = e.getMessage().startsWith(code + ": ") ? e.getMessage().substring(code.length() + 2) : e.getMessage();
            throw new StepFailure(step, code, message, e.exitCode(), e);
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            print(step, "FAILED", start, message);
            throw new StepFailure(step, "backup.io_error", message, ExitCodes.INPUT, e);
        }
        print(step, "ok", start, detail.apply(result));
        return result;
    }

    /** @return the time since this run of steps began */
    Duration total() {
        return Duration.ofNanos(System.nanoTime() - startedAt);
    }

    /** Starts the clock of {@link #total()} again (for the next backup of {@code verify --all}). */
    void restart() {
        startedAt = System.nanoTime();
    }

    /** A node's refusal reads {@code code: message}; other failures to talk to it are {@code node.request_failed}. */
    private static String codeOf(String message) {
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("^([a-z_]+\\.[a-z_]+): ").matcher(message);
        return code.find() ? code.group(1) : "node.request_failed";
    }

    private void print(String step, String state, long start, String detail) {
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        out.println(String.format(Locale.ROOT, "  %-26s %-6s %7s  %s", step, state, Sizes.time(took), detail).stripTrailing());
        out.flush();
    }
}
