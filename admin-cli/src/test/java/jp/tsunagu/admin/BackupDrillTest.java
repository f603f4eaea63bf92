package jp.tsunagu.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import jp.tsunagu.federation.backup.Generation;
import jp.tsunagu.federation.json.Json;

/**
 * {@code backup drill} end to end against stand-ins: the running node's admin API makes a real
 * backup into a real target when asked, and the drill node is a real process ({@link StandInNode}
 * in a jar) started on the restored copy, read through its admin API and stopped with SIGTERM.
 */
class BackupDrillTest {
    static final String TOKEN = "op3rat0r-t0ken-0f-the-stand-in-n0de-abcdefgh";

    @TempDir
    Path temp;
    BackupFixture fixture;
    HttpServer live;
    String url;
    Path tokenFile;
    volatile Generation made;

    @BeforeEach
    void aRunningNodeThatBacksUpWhenAsked() throws Exception {
        fixture = new BackupFixture(temp);
        live = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        live.createContext("/admin/v1/", this::answer);
        live.start();
        url = "http://127.0.0.1:" + live.getAddress().getPort();
        tokenFile = Files.writeString(temp.resolve("admin-token"), TOKEN);
    }

    @AfterEach
    void stop() {
        live.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        String body;
        int status = 200;
        try {
            if (path.equals("/admin/v1/storage/summary")) {
                body = "{\"node\":\"ina\",\"schemaVersion\":\"110\",\"rowCounts\":{},\"audit\":{\"seq\":4,\"hash\":\"\"}}";
            } else if (path.equals("/admin/v1/backups")) {
                made = fixture.backup(Instant.parse("2026-12-06T02:00:00Z"), false);
                status = 202;
                body = "{\"run\":{\"id\":\"r-1\",\"state\":\"running\",\"trigger\":\"operator\",\"startedAt\":\"2026-12-06T02:00:00Z\","
                        + "\"step\":\"database\",\"done\":0,\"total\":1}}";
            } else {
                body = "{\"id\":\"r-1\",\"state\":\"succeeded\",\"trigger\":\"operator\",\"startedAt\":\"2026-12-06T02:00:00Z\","
                        + "\"step\":\"done\",\"done\":2,\"total\":2,\"backup\":{\"name\":\"" + made.name() + "\",\"createdAt\":\""
                        + made.createdAt() + "\",\"archiveBytes\":" + made.archiveBytes() + ",\"objectsAdded\":" + made.objectsAdded()
                        + ",\"bytesAdded\":" + made.bytesAdded() + ",\"objects\":2,\"withKeys\":false,\"schemaVersion\":\"110\"}}";
            }
        } catch (Exception e) {
            status = 500;
            body = Json.write(java.util.Map.of("code", "backup.failed", "message", String.valueOf(e), "requestId", "r"));
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A jar whose main class is {@code mainClass}, running on this test's class path (tests, protocol, SQLite). */
    Path nodeJar(Class<?> mainClass) throws Exception {
        String classPath = Stream.of(StandInNode.class, Json.class, org.sqlite.JDBC.class)
                .map(c -> {
                    try {
                        return c.getProtectionDomain().getCodeSource().getLocation().toURI().toString();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .distinct().collect(Collectors.joining(" "));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        Path jar = temp.resolve(mainClass.getSimpleName() + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is the whole jar: its classes come from the class path it names
        }
        return jar;
    }

    private Cli.Result drill(Path jar) {
        return Cli.run("backup", "drill", "--node", url, "--token-file", tokenFile, "--target", fixture.targetDir,
                "--key", fixture.keyFile, "--work-dir", temp.resolve("work"), "--node-jar", jar, "--start-timeout", "60");
    }

    private long workLeft() throws IOException {
        try (Stream<Path> entries = Files.list(temp.resolve("work"))) {
            return entries.count();
        }
    }

    @Test
    void a_drill_backs_up_verifies_restores_starts_reads_and_stops_a_node_then_deletes_the_copy() throws Exception {
        Cli.Result result = drill(nodeJar(StandInNode.class));

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out())
                .containsPattern("running node\\s+ok.*ina at " + url)
                .containsPattern("create\\s+ok.*backup ina-20261206T020000Z made")
                .containsPattern("find in target\\s+ok")
                .containsPattern("decrypt and check files\\s+ok")
                .containsPattern("audit chain\\s+ok")
                .containsPattern("row counts\\s+ok")
                .containsPattern("restore drill copy\\s+ok.*drill-node.json")
                .containsPattern("ready\\s+ok\\s+\\S+s\\s+ready on http://127.0.0.1:")
                // the stand-in pruned the sessions, as a start does; every other table must match
                .containsPattern("data\\s+ok.*1 tables as in the backup; audit log at row 4 \\(backup 4\\)")
                .containsPattern("agreements\\s+ok.*1 agreements served")
                .containsPattern("stop node\\s+ok.*exit status 0")
                .containsPattern("delete copy\\s+ok")
                .contains("DRILL PASSED");
        assertThat(fixture.target.find(made.name()).verification().orElseThrow().verified()).isTrue();
        assertThat(workLeft()).isZero();
    }

    @Test
    void a_node_that_does_not_start_fails_the_drill_at_its_step_and_the_copy_is_deleted() throws Exception {
        Cli.Result result = drill(nodeJar(StandInNode.Broken.class));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).containsPattern("ready\\s+FAILED").contains("DRILL FAILED at step 'ready'");
        assertThat(result.err()).startsWith("error: drill.node_not_ready: ready: the drill node exited with status 1")
                .contains("storage.migration_failed");
        assertThat(workLeft()).isZero();
    }

    @Test
    void a_drill_without_a_node_jar_stops_before_it_makes_a_backup() {
        Cli.Result result = drill(temp.resolve("missing.jar"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: drill.node_jar_missing:");
        assertThat(made).isNull();
    }
}
