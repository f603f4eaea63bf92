package jp.tsunagu.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.backup.BackupKey;
import jp.tsunagu.federation.backup.Generation;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;

/** {@code backup keygen}, {@code verify} and {@code restore} on real backups in a real target directory. */
class BackupOfflineCommandsTest {
    static final Instant AT = Instant.parse("2026-12-06T02:00:00Z");

    @TempDir
    Path temp;
    BackupFixture fixture;
    Generation generation;

    @BeforeEach
    void aNodeWithOneBackup() throws Exception {
        fixture = new BackupFixture(temp);
        generation = fixture.backup(AT, false);
    }

    private Cli.Result verify(Object... more) {
        Object[] args = {"backup", "verify", "--target", fixture.targetDir, "--node", "ina", "--key", fixture.keyFile,
            "--work-dir", temp.resolve("work")};
        return Cli.run(concat(args, more));
    }

    private Cli.Result restore(Path to, Object... more) {
        Object[] args = {"backup", "restore", "--target", fixture.targetDir, "--node", "ina", "--key", fixture.keyFile,
            "--work-dir", temp.resolve("work"), "--to", to};
        return Cli.run(concat(args, more));
    }

    private static Object[] concat(Object[] first, Object[] second) {
        return Stream.concat(Stream.of(first), Stream.of(second)).toArray();
    }

    private Generation.Verification recorded() {
        return fixture.target.find(generation.name()).verification().orElseThrow();
    }

    private long workLeft() throws Exception {
        Path work = temp.resolve("work");
        if (!Files.isDirectory(work)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(work)) {
            return entries.count();
        }
    }

    @Test
    void keygen_writes_an_owner_only_key_prints_its_recipient_and_never_overwrites() throws Exception {
        Path key = temp.resolve("keys/ina.backup-key");
        Cli.Result result = Cli.run("backup", "keygen", "--out", key);

        assertThat(result.exitCode()).as(result.err()).isZero();
        BackupKey written = BackupKey.read(key);
        assertThat(result.out()).contains("recipient: " + written.recipient()).contains("backup.recipient")
                .contains("apart from the backups").doesNotContain(written.privateText());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        Cli.Result again = Cli.run("backup", "keygen", "--out", key);
        assertThat(again.exitCode()).isEqualTo(3);
        assertThat(again.err()).contains("never overwritten");
        assertThat(BackupKey.read(key)).isEqualTo(written);
    }

    @Test
    void verify_checks_the_newest_backup_prints_each_check_and_records_it_verified() throws Exception {
        Cli.Result result = verify();

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("backup ina-20261206T020000Z")
                .containsPattern("decrypt and check files\\s+ok\\s+\\S+s\\s+6 files and 2 attachments match the manifest")
                .containsPattern("database integrity\\s+ok")
                .containsPattern("audit chain\\s+ok.*4 rows, chain verified, its end matches the node's signed checkpoint")
                .containsPattern("row counts\\s+ok.*3 tables, 9 rows")
                .contains("verified: ina-20261206T020000Z");
        assertThat(recorded().verified()).isTrue();
        assertThat(workLeft()).isZero();
    }

    @Test
    void a_backup_with_the_keys_has_its_checkpoint_signature_verified_as_one_without() throws Exception {
        Generation withKeys = fixture.backup(AT.plusSeconds(3600), true);
        Cli.Result result = verify("--backup", withKeys.name());

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).containsPattern("audit chain\\s+ok.*matches the node's signed checkpoint and the manifest");
    }

    @Test
    void the_wrong_key_is_backup_key_wrong_and_recorded_as_failed() throws Exception {
        Path other = temp.resolve("other.backup-key");
        Files.writeString(other, BackupKey.generate().privateText());
        Cli.Result result = Cli.run("backup", "verify", "--target", fixture.targetDir, "--node", "ina", "--key", other,
                "--work-dir", temp.resolve("work"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: backup.key_wrong: decrypt and check files:");
        assertThat(result.out()).contains("NOT VERIFIED: ina-20261206T020000Z");
        assertThat(recorded().verified()).isFalse();
        assertThat(recorded().code()).isEqualTo("backup.key_wrong");
        assertThat(workLeft()).isZero();
    }

    @Test
    void one_byte_flipped_in_the_archive_is_backup_tampered() throws Exception {
        Path archive = fixture.target.archive(generation.name());
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            long at = file.length() - 40;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x01);
        }
        Cli.Result result = verify();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: backup.tampered:");
        assertThat(recorded().code()).isEqualTo("backup.tampered");
        assertThat(workLeft()).isZero();
    }

    @Test
    void an_archive_cut_short_is_backup_truncated() throws Exception {
        Path archive = fixture.target.archive(generation.name());
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        Cli.Result result = verify();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: backup.truncated:");
        assertThat(recorded().code()).isEqualTo("backup.truncated");
    }

    @Test
    void an_attachment_object_deleted_from_the_target_is_backup_object_missing() throws Exception {
        Files.delete(fixture.target.object(generation.objects().get(0)));
        Cli.Result result = verify();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: backup.object_missing:");
        assertThat(recorded().code()).isEqualTo("backup.object_missing");
        assertThat(workLeft()).isZero();
    }

    @Test
    void a_verification_the_target_cannot_record_is_reported_and_exits_3() throws Exception {
        // a target that cannot be written to (as a read-only mount): its partial/ cannot be made
        Path partial = fixture.target.root().resolve("partial");
        try (Stream<Path> left = Files.list(partial)) {
            assertThat(left).isEmpty();
        }
        Files.delete(partial);
        Files.writeString(partial, "not a directory");
        Cli.Result result = verify();

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).containsPattern("row counts\\s+ok").contains("verified: ina-20261206T020000Z")
                .contains("NOT recorded");
        assertThat(result.err()).startsWith("warning: the outcome could not be recorded in the target: backup.target_unwritable:");
        assertThat(fixture.target.find(generation.name()).verification()).isEmpty();
    }

    @Test
    void no_such_backup_is_backup_not_found_with_exit_3() {
        Cli.Result result = verify("--backup", "ina-20200101T000000Z");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: backup.not_found:");
    }

    @Test
    void verify_all_checks_every_backup_and_fails_when_one_fails() throws Exception {
        Generation second = fixture.backup(AT.plusSeconds(86400), false);
        Files.delete(fixture.target.object(second.objects().get(1)));
        // both backups share the objects: deleting one fails both, newest first
        Cli.Result result = verify("--all");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("backup ina-20261207T020000Z").contains("backup ina-20261206T020000Z");
        assertThat(fixture.target.find(second.name()).verification().orElseThrow().verified()).isFalse();
    }

    @Test
    void restore_writes_the_data_directory_layout_with_its_own_node_json_owner_only() throws Exception {
        Path to = temp.resolve("restored");
        Cli.Result result = restore(to);

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(to.resolve("tsunagu.db")).isRegularFile();
        assertThat(to.resolve("audit-checkpoint.jws")).isRegularFile();
        assertThat(to.resolve("identity/node.json")).isRegularFile();
        assertThat(to.resolve("config")).doesNotExist();
        try (Stream<Path> attachments = Files.walk(to.resolve("attachments"))) {
            assertThat(attachments.filter(Files::isRegularFile).count()).isEqualTo(2);
        }
        JsonFields config = JsonFields.of(Json.parse(Files.readString(to.resolve("node.json"))), "x", "node.json");
        assertThat(config.string("dataDir")).isEqualTo(".");
        assertThat(config.object("node").string("name")).isEqualTo("ina");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(to))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(to.resolve("tsunagu.db")))).isEqualTo("rw-------");
        assertThat(result.out()).contains("restored: ina-20261206T020000Z").contains("holds no private keys")
                .contains("identity/signing/").contains("serve --config " + to.resolve("node.json"));
        try (Stream<Path> siblings = Files.list(temp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".restoring-"));
        }
    }

    @Test
    void restore_with_keys_restores_the_private_keys_owner_only() throws Exception {
        Generation withKeys = fixture.backup(AT.plusSeconds(60), true);
        Path to = temp.resolve("restored");
        Cli.Result result = restore(to, "--backup", withKeys.name());

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        try (Stream<Path> keys = Files.list(to.resolve("identity/signing"))) {
            for (Path key : keys.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            }
        }
        assertThat(to.resolve("identity/tls/private-key.pem")).isRegularFile();
        assertThat(result.out()).doesNotContain("holds no private keys");
    }

    @Test
    void restore_into_an_empty_directory_is_allowed() throws Exception {
        Path to = Files.createDirectory(temp.resolve("empty"));
        Cli.Result result = restore(to);
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(to.resolve("node.json")).isRegularFile();
    }

    @Test
    void restore_into_a_directory_that_is_not_empty_is_refused_and_nothing_changes() throws Exception {
        Path to = Files.createDirectory(temp.resolve("occupied"));
        Files.writeString(to.resolve("notes.txt"), "mine");
        Cli.Result result = restore(to);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: backup.restore_not_empty:");
        try (Stream<Path> entries = Files.list(to)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
        assertThat(Files.readString(to.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void restore_over_a_nodes_data_directory_is_refused_and_nothing_changes() throws Exception {
        byte[] before = Files.readAllBytes(fixture.dataDir.resolve("tsunagu.db"));
        Cli.Result result = restore(fixture.dataDir);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: backup.restore_over_node:").contains("refused");
        assertThat(Files.readAllBytes(fixture.dataDir.resolve("tsunagu.db"))).isEqualTo(before);
        assertThat(fixture.dataDir.resolve("node.json")).doesNotExist();
        try (Stream<Path> siblings = Files.list(temp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".restoring-"));
        }
    }

    @Test
    void a_restore_of_a_tampered_backup_leaves_no_directory() throws Exception {
        Path archive = fixture.target.archive(generation.name());
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(archive, bytes);
        Path to = temp.resolve("restored");
        Cli.Result result = restore(to);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: backup.tampered:");
        assertThat(result.out()).contains("NOT RESTORED");
        assertThat(to).doesNotExist();
        try (Stream<Path> siblings = Files.list(temp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".restoring-"));
        }
    }

    @Test
    void a_database_whose_rows_differ_from_the_manifest_is_not_verified() throws Exception {
        // The node counted before the snapshot was taken: a manifest that disagrees with its database is caught.
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + fixture.dataDir.resolve("tsunagu.db"));
                var statement = connection.createStatement()) {
            statement.execute("insert into patients values ('p4', '山田')");
        }
        Generation counted = fixture.backup(AT.plusSeconds(120), false);
        Cli.Result result = verify("--backup", counted.name());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: backup.row_counts_differ:").contains("patients 4 (manifest 3)");
        assertThat(Files.readString(fixture.target.root().resolve("generations/" + counted.name() + ".verified.json"),
                StandardCharsets.UTF_8)).contains("backup.row_counts_differ");
    }
}
