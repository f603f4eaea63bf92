package jp.tsunagu.federation.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup written into a target reads back the same, file by file, and shares its objects. */
class GenerationWriterTest {
    @TempDir
    Path dir;

    @Test
    void a_written_backup_reads_back_and_a_second_shares_the_objects() throws Exception {
        BackupKey key = BackupKey.generate();
        byte[] recipient = BackupKey.parseRecipient(key.recipient());
        BackupTarget target = BackupTarget.of(dir.resolve("nas"), "ina");
        Path db = Files.writeString(dir.resolve("db"), "database bytes");
        Path photo = Files.write(dir.resolve("photo"), new byte[200_000]);
        String object = "ab".repeat(32);
        Instant first = Instant.parse("2026-12-06T02:00:00Z");
        try (BackupTarget.Lock lock = target.lock(); GenerationWriter writer = GenerationWriter.begin(target, lock, recipient, first)) {
            writer.addFile("tsunagu.db", db);
            writer.addAttachment("attachments/ab/photo", photo, object, Optional.empty());
            Generation made = writer.finish(manifest(first));
            assertThat(made.objectsAdded()).isEqualTo(1);
        }
        Instant second = first.plusSeconds(86_400);
        try (BackupTarget.Lock lock = target.lock(); GenerationWriter writer = GenerationWriter.begin(target, lock, recipient, second)) {
            writer.addFile("tsunagu.db", db);
            writer.addAttachment("attachments/ab/photo", photo, object, Optional.empty());
            assertThat(writer.finish(manifest(second)).objectsAdded()).isZero();
        }
        List<Generation> generations = target.list();
        assertThat(generations).extracting(Generation::name).containsExactly("ina-20261207T020000Z", "ina-20261206T020000Z");
        Path into = Files.createDirectories(dir.resolve("into"));
        BackupManifest manifest = GenerationReader.extract(target, generations.get(1), key, into, p -> { });
        assertThat(Files.readString(into.resolve("tsunagu.db"))).isEqualTo("database bytes");
        assertThat(Files.mismatch(into.resolve("attachments/ab/photo"), photo)).isEqualTo(-1L);
        assertThat(manifest.rowCounts()).containsEntry("posts", 3L);
    }

    private static BackupManifest manifest(Instant at) {
        return new BackupManifest("ina", at, "122", "test", false, 0, "", Map.of("posts", 3L), List.of(), List.of());
    }
}
