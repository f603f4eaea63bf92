package jp.tsunagu.admin.backup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jp.tsunagu.federation.ProtocolException;

/**
 * A node process started on a drill copy: {@code java -jar NODE_JAR serve --config COPY/drill-node.json},
 * its output in a log file beside the copy. Its environment holds no {@code TSUNAGU_*} variable, since
 * the node reads those as overrides of its configuration (the operator's shell may hold the real
 * node's mail or port settings). Closing it kills the process if it still runs.
 */
final class DrillNode implements AutoCloseable {
    private final Process process;
    private final Path log;

    private DrillNode(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static DrillNode start(Path jar, Path config, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "serve", "--config",
                config.toString()).directory(config.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TSUNAGU_"));
        return new DrillNode(builder.start(), log);
    }

    /**
     * Waits for {@code GET /health/ready} to answer 200 on the drill node's admin listener.
     *
     * @throws ProtocolException {@code drill.node_not_ready} when the process ends first or the time runs out
     */
    String awaitReady(URI admin, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(admin.resolve("/health/ready")).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new ProtocolException("drill.node_not_ready", "the drill node exited with status " + process.exitValue()
                        + " before it was ready; its last lines:\n" + tail(20));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return "ready on " + admin + " (pid " + process.pid() + ")";
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new ProtocolException("drill.node_not_ready", "the drill node was not ready within " + timeout.toSeconds()
                + " s; its last lines:\n" + tail(20));
    }

    /**
     * Asks the node to stop (SIGTERM) and waits for it.
     *
     * @throws ProtocolException {@code drill.stop_failed} when it does not stop in time or exits with another status than 0
     */
    String stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new ProtocolException("drill.stop_failed", "the drill node did not stop within " + timeout.toSeconds()
                    + " s of SIGTERM and was killed");
        }
        if (process.exitValue() != 0) {
            throw new ProtocolException("drill.stop_failed", "the drill node exited with status " + process.exitValue()
                    + " on SIGTERM; its last lines:\n" + tail(20));
        }
        return "stopped on SIGTERM, exit status 0";
    }

    /** @return the last lines the node printed */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(line -> "    | " + line).toList());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
