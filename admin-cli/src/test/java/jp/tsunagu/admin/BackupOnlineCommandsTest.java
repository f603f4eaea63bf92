package jp.tsunagu.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code backup create} and {@code backup list} against a stand-in for the node's admin API (the
 * contract in admin-cli/README.md): the start of a run, then the run's states in turn as the node
 * would answer each poll.
 */
class BackupOnlineCommandsTest {
    static final String TOKEN = "op3rat0r-t0ken-0f-the-stand-in-n0de-abcdefgh";
    static final String BACKUP = "{\"name\":\"ina-20261206T020000Z\",\"createdAt\":\"2026-12-06T02:00:00.123Z\","
            + "\"archiveBytes\":12345678,\"objectsAdded\":3,\"bytesAdded\":4500000,\"objects\":230,\"withKeys\":false,"
            + "\"schemaVersion\":\"110\",\"verification\":null}";

    @TempDir
    Path temp;
    HttpServer server;
    String url;
    Path tokenFile;
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile int startStatus = 202;
    volatile String startAnswer = "{\"run\":" + run("running", "database", 0, 1, null) + "}";
    final Deque<String> polls = new ArrayDeque<>();
    volatile String listAnswer = "{}";

    static String run(String state, String step, long done, long total, String tail) {
        return "{\"id\":\"r-7\",\"state\":\"" + state + "\",\"trigger\":\"operator\",\"startedAt\":\"2026-12-06T02:00:00Z\","
                + "\"step\":\"" + step + "\",\"done\":" + done + ",\"total\":" + total + (tail == null ? "" : "," + tail) + "}";
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/admin/v1/", this::answer);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
        tokenFile = temp.resolve("admin-token");
        Files.writeString(tokenFile, TOKEN + "\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private synchronized void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        received.add(exchange.getRequestMethod() + " " + path + " " + body);
        int status = 200;
        String answer;
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
            answer = "{\"code\":\"admin.unauthorized\",\"message\":\"no\",\"requestId\":\"r1\"}";
        } else if (exchange.getRequestMethod().equals("POST") && path.equals("/admin/v1/backups")) {
            status = startStatus;
            answer = startAnswer;
        } else if (path.equals("/admin/v1/backups/runs/r-7")) {
            answer = polls.size() > 1 ? polls.pop() : polls.peek();
        } else if (path.equals("/admin/v1/backups")) {
            answer = listAnswer;
        } else {
            status = 404;
            answer = "{\"code\":\"admin.not_found\",\"message\":\"no such resource\",\"requestId\":\"r2\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void create_starts_a_run_prints_its_progress_and_ends_with_the_backup_made() {
        polls.add(run("running", "attachments", 120, 230, null));
        polls.add(run("running", "archive", 0, 0, null));
        polls.add(run("succeeded", "done", 230, 230, "\"finishedAt\":\"2026-12-06T02:00:09Z\",\"backup\":" + BACKUP));
        Cli.Result result = Cli.run("backup", "create", "--node", url, "--token-file", tokenFile);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received.get(0)).isEqualTo("POST /admin/v1/backups {\"withKeys\":false}");
        assertThat(received.subList(1, received.size())).allMatch(r -> r.startsWith("GET /admin/v1/backups/runs/r-7"));
        assertThat(result.out()).contains("backup run r-7 started")
                .containsPattern("database\\s+0/1")
                .containsPattern("attachments\\s+120/230")
                .contains("  archive\n")
                .contains("backup ina-20261206T020000Z made: created 2026-12-06T02:00:00Z, archive 12.3 MB, "
                        + "3 attachment objects added (4.5 MB), without keys");
    }

    @Test
    void create_with_keys_asks_for_the_keys() {
        polls.add(run("succeeded", "done", 1, 1, "\"backup\":" + BACKUP.replace("\"withKeys\":false", "\"withKeys\":true")));
        Cli.Result result = Cli.run("backup", "create", "--with-keys", "--node", url, "--token-file", tokenFile);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received.get(0)).isEqualTo("POST /admin/v1/backups {\"withKeys\":true}");
        assertThat(result.out()).contains("with keys");
    }

    @Test
    void a_run_that_fails_exits_4_with_the_failures_code() {
        polls.add(run("failed", "attachments", 3, 230, "\"error\":{\"code\":\"backup.target_full\","
                + "\"message\":\"the backup target /mnt/nas/tsunagu/ina is full\"}"));
        Cli.Result result = Cli.run("backup", "create", "--node", url, "--token-file", tokenFile);

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("error: backup.target_full: the backup target /mnt/nas/tsunagu/ina is full (backup run r-7)");
    }

    @Test
    void a_backup_already_running_is_refused_with_backup_in_progress() {
        startStatus = 409;
        startAnswer = "{\"code\":\"backup.in_progress\",\"message\":\"a backup is running (run r-6)\",\"requestId\":\"r-9\"}";
        Cli.Result result = Cli.run("backup", "create", "--node", url, "--token-file", tokenFile);

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("error: backup.in_progress: a backup is running (run r-6) (request r-9)");
        assertThat(received).hasSize(1);
    }

    @Test
    void a_node_without_backup_configuration_says_so() {
        startStatus = 409;
        startAnswer = "{\"code\":\"backup.not_configured\",\"message\":\"set backup.target and backup.recipient\",\"requestId\":\"r-3\"}";
        Cli.Result result = Cli.run("backup", "create", "--node", url, "--token-file", tokenFile);

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("error: backup.not_configured: set backup.target and backup.recipient");
    }

    @Test
    void list_prints_the_backups_the_failed_runs_and_a_warning_when_stale() {
        listAnswer = "{\"target\":\"/mnt/nas/tsunagu/ina\",\"schedule\":\"02:00\",\"retention\":{\"daily\":7,\"weekly\":4,\"monthly\":12},"
                + "\"lastSuccess\":{\"name\":\"ina-20261203T020000Z\",\"createdAt\":\"2026-12-03T02:00:00Z\",\"ageSeconds\":266400},"
                + "\"stale\":true,"
                + "\"backups\":[" + BACKUP.replace("\"verification\":null",
                        "\"verification\":{\"state\":\"failed\",\"at\":\"2026-12-06T03:00:00Z\",\"code\":\"backup.tampered\",\"problem\":\"x\"}")
                + ",{\"name\":\"ina-20261203T020000Z\",\"createdAt\":\"2026-12-03T02:00:00Z\",\"archiveBytes\":900,\"objectsAdded\":0,"
                + "\"bytesAdded\":0,\"objects\":227,\"withKeys\":true,\"schemaVersion\":\"110\","
                + "\"verification\":{\"state\":\"verified\",\"at\":\"2026-12-04T03:00:00Z\"}}],"
                + "\"runs\":[" + run("failed", "archive", 0, 0, "\"error\":{\"code\":\"backup.target_unwritable\",\"message\":\"NAS gone\"}")
                + "," + run("succeeded", "done", 1, 1, null) + "]}";
        Cli.Result result = Cli.run("backup", "list", "--node", url, "--token-file", tokenFile);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("target:    /mnt/nas/tsunagu/ina")
                .contains("schedule:  02:00, keeping 7 daily, 4 weekly, 12 monthly")
                .contains("last good: ina-20261203T020000Z at 2026-12-03T02:00:00Z (3 days ago)")
                .containsPattern("ina-20261206T020000Z\\s+2026-12-06T02:00:00Z\\s+12.3 MB\\s+3 \\(4.5 MB\\)\\s+no\\s+FAILED 2026-12-06T03:00:00Z backup.tampered")
                .containsPattern("ina-20261203T020000Z\\s+2026-12-03T02:00:00Z\\s+900 B\\s+0 \\(0 B\\)\\s+yes\\s+verified 2026-12-04T03:00:00Z")
                .contains("Recent failed runs:")
                .containsPattern("r-7\\s+2026-12-06T02:00:00Z\\s+operator\\s+archive\\s+backup.target_unwritable: NAS gone")
                .contains("warning: the last successful backup is too old");
    }

    @Test
    void list_of_a_node_with_no_backup_yet() {
        listAnswer = "{\"target\":\"/mnt/nas/tsunagu/ina\",\"schedule\":\"off\",\"lastSuccess\":null,\"stale\":false,\"backups\":[],\"runs\":[]}";
        Cli.Result result = Cli.run("backup", "list", "--node", url, "--token-file", tokenFile);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("schedule:  off").contains("last good: never").doesNotContain("warning")
                .doesNotContain("Recent failed runs");
    }
}
