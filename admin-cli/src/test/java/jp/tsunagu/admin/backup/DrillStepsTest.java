package jp.tsunagu.admin.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.LoopbackPorts;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.backup.BackupManifest;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;

/** The drill's steps one by one: its configuration, what it compares, where it finds the node's jar. */
class DrillStepsTest {
    @TempDir
    Path temp;

    static final String CONFIG = """
            {
              "node": {"name": "ina", "municipalities": ["202096"]},
              "dataDir": "/var/lib/tsunagu/ina",
              "web": {"host": "0.0.0.0", "port": 8443, "publicUrl": "https://ina.example.jp"},
              "federation": {"host": "0.0.0.0", "port": 9443, "endpoint": "https://ina.example.jp:9443"},
              "admin": {"port": 9080},
              "tls": {"certificateFile": "/etc/tsunagu/cert.pem", "privateKeyFile": "/etc/tsunagu/key.pem"},
              "mail": {"host": "smtp.example.jp", "from": "tsunagu@ina.example.jp"},
              "mail.password": "secret",
              "backup": {"target": "/mnt/nas/tsunagu", "recipient": "tsunagu-backup-1-x"},
              "portal": {"publicUrl": "https://portal.ina.example.jp"},
              "storage": {"readConnections": 4},
              "log": {"level": "INFO"}
            }
            """;

    @Test
    void the_drill_node_listens_on_loopback_on_ports_it_chooses_but_the_admin_one_and_sends_no_mail_makes_no_backups() {
        NodeConfigFile config = NodeConfigFile.of(Json.parseObject(CONFIG));
        JsonFields drill = JsonFields.of(Json.parse(DrillConfig.rewrite(config, 40003).text()), "x", "drill-node.json");

        assertThat(drill.string("dataDir")).isEqualTo(".");
        assertThat(drill.object("web").object()).isEqualTo(Map.of("host", "127.0.0.1", "port", 0L));
        assertThat(drill.object("federation").object()).as("the endpoint follows the port the node takes")
                .isEqualTo(Map.of("host", "127.0.0.1", "port", 0L));
        assertThat(drill.object("admin").object()).isEqualTo(Map.of("host", "127.0.0.1", "port", 40003L));
        assertThat(drill.object().keySet()).doesNotContain("mail", "mail.password", "backup", "portal", "tls")
                .contains("node", "storage", "log");
    }

    @Test
    void the_admin_port_is_free_and_outside_the_range_outgoing_connections_take_their_ports_from() throws Exception {
        int port = DrillConfig.freeAdminPort();
        LoopbackPorts.Range ephemeral = LoopbackPorts.ephemeral();
        assertThat(port).isPositive().isGreaterThanOrEqualTo(10_000);
        assertThat(ephemeral.contains(port)).isFalse();
        try (java.net.ServerSocket bound = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(bound.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void the_drill_copy_holds_no_identity_no_user_ca_and_no_checkpoint_of_the_real_node() throws Exception {
        Path copy = Files.createDirectories(temp.resolve("copy"));
        Files.createDirectories(copy.resolve("identity/signing"));
        Files.writeString(copy.resolve("identity/signing/k.jwk"), "{}");
        Files.createDirectories(copy.resolve("user-ca"));
        Files.writeString(copy.resolve("audit-checkpoint.jws"), "a.b.c");
        Files.writeString(copy.resolve("tsunagu.db"), "");
        Files.createDirectories(copy.resolve("config"));
        Files.writeString(copy.resolve("config/node.json"), CONFIG);

        Path config = DrillCopy.prepare(copy, 3, new java.io.PrintWriter(System.err));

        assertThat(config).isEqualTo(copy.resolve("drill-node.json")).isRegularFile();
        assertThat(copy.resolve("identity")).doesNotExist();
        assertThat(copy.resolve("user-ca")).doesNotExist();
        assertThat(copy.resolve("audit-checkpoint.jws")).doesNotExist();
        assertThat(copy.resolve("tsunagu.db")).exists();
    }

    static BackupManifest manifest(Map<String, Long> rows, long auditSeq) {
        return new BackupManifest("ina", Instant.parse("2026-12-06T02:00:00Z"), "110", "test", false, auditSeq, "h", rows,
                List.of(), List.of());
    }

    static JsonFields summary(String rowCounts, long auditSeq) {
        return JsonFields.of(Json.parse("{\"node\":\"ina\",\"schemaVersion\":\"110\",\"rowCounts\":" + rowCounts
                + ",\"audit\":{\"seq\":" + auditSeq + ",\"hash\":\"x\"}}"), "x", "summary");
    }

    @Test
    void the_comparison_ignores_what_a_start_changes_and_requires_every_other_table_exact() {
        BackupManifest backup = manifest(Map.of("patients", 3L, "audit_log", 40L, "sessions", 5L, "login_failures", 2L,
                "sync_outbox", 7L, "posts", 12L), 40);
        String line = DrillComparison.compare(summary("{\"patients\":3,\"posts\":12,\"audit_log\":44,\"sessions\":0,"
                + "\"login_failures\":0,\"sync_outbox\":1}", 44), backup);
        assertThat(line).startsWith("2 tables as in the backup; audit log at row 44 (backup 40)");

        assertThatThrownBy(() -> DrillComparison.compare(summary("{\"patients\":2,\"audit_log\":44}", 44), backup))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("drill.rows_differ"))
                .hasMessageContaining("patients 2 (backup 3)").hasMessageContaining("posts missing (backup 12)");
        assertThatThrownBy(() -> DrillComparison.compare(summary("{\"patients\":3,\"posts\":12}", 39), backup))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("drill.audit_behind"));
    }

    @Test
    void short_lived_tables_are_told_by_their_names() {
        assertThat(List.of("web_sessions", "mail_outbox", "geocode_cache", "tmp_import", "job_locks", "login_failures"))
                .noneMatch(DrillComparison::compared);
        assertThat(List.of("patients", "posts", "agreement_versions", "attachments", "team_events"))
                .allMatch(DrillComparison::compared);
    }

    @Test
    void the_node_jar_is_the_option_else_the_environment_else_beside_the_admin_jar_else_the_build() throws Exception {
        Path option = Files.writeString(temp.resolve("given.jar"), "");
        Path fromEnv = Files.writeString(temp.resolve("env.jar"), "");
        Path release = Files.createDirectories(temp.resolve("release"));
        Path beside = Files.writeString(release.resolve("tsunagu-node.jar"), "");
        Path checkout = Files.createDirectories(temp.resolve("checkout/node/target"));
        Path built = Files.writeString(checkout.resolve("tsunagu-node.jar"), "");
        Path adminJar = release.resolve("tsunagu-admin.jar");

        assertThat(NodeJar.locate(option, k -> fromEnv.toString(), adminJar, temp)).isEqualTo(option);
        assertThat(NodeJar.locate(null, k -> fromEnv.toString(), adminJar, temp)).isEqualTo(fromEnv);
        assertThat(NodeJar.locate(null, k -> null, adminJar, temp.resolve("checkout"))).isEqualTo(beside);
        assertThat(NodeJar.locate(null, k -> null, null, temp.resolve("checkout"))).isEqualTo(built);
        assertThatThrownBy(() -> NodeJar.locate(null, k -> null, null, temp))
                .isInstanceOf(CliException.class).hasMessageStartingWith("drill.node_jar_missing:");
    }
}
