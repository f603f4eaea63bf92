package jp.tsunagu.federation.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.ProtocolException;

/**
 * A target's files as {@link GenerationWriter} writes them and {@link GenerationReader} reads them
 * back: the round trip, shared objects, a backup cut short (inside its last part, not only at a
 * part's boundary) told from one altered, and a writer that stops without finishing.
 */
class GenerationFilesTest {
    static final Instant FIRST = Instant.parse("2026-12-06T02:00:00Z");

    @TempDir
    Path temp;
    Path dataDir;
    BackupKey key;
    BackupTarget target;
    List<Path> attachments = new ArrayList<>();

    @BeforeEach
    void aDataDirectory() throws Exception {
        dataDir = Files.createDirectories(temp.resolve("data"));
        Files.writeString(dataDir.resolve("tsunagu.db"), "SQLite format 3 (stand-in bytes)".repeat(5000));
        for (int size : new int[] {0, 1_000, BackupEnvelope.CHUNK, 3 * BackupEnvelope.CHUNK + 17}) {
            byte[] content = new byte[size];
            new Random(size).nextBytes(content);
            String sha = hex(content);
            Path file = dataDir.resolve("attachments/" + sha.substring(0, 2) + "/" + sha);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            attachments.add(file);
        }
        key = BackupKey.generate();
        target = BackupTarget.of(temp.resolve("target"), "ina");
    }

    static String hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    Generation backup(Instant at) throws Exception {
        try (BackupTarget.Lock lock = target.lock();
                GenerationWriter writer = GenerationWriter.begin(target, lock, BackupKey.parseRecipient(key.recipient()), at)) {
            writer.addFile("tsunagu.db", dataDir.resolve("tsunagu.db"));
            writer.addBytes("config/node.json", "{\"dataDir\":\".\"}".getBytes(StandardCharsets.UTF_8));
            for (Path file : attachments) {
                String path = dataDir.relativize(file).toString();
                writer.addAttachment(path, file, hex(("object:" + path).getBytes(StandardCharsets.UTF_8)), Optional.empty());
            }
            return writer.finish(new BackupManifest("ina", at, "110", "test", false, 0, "", Map.of("patients", 3L),
                    List.of(), List.of()));
        }
    }

    BackupManifest extract(Generation generation, Path into) throws Exception {
        Files.createDirectories(into);
        return GenerationReader.extract(target, generation, key, into, progress -> { });
    }

    @Test
    void a_backup_reads_back_file_for_file_and_a_second_one_shares_the_objects() throws Exception {
        Generation first = backup(FIRST);
        Generation second = backup(FIRST.plusSeconds(86400));

        assertThat(first.objectsAdded()).isEqualTo(4);
        assertThat(second.objectsAdded()).isZero();
        assertThat(second.bytesAdded()).isZero();
        assertThat(second.objects()).containsExactlyElementsOf(first.objects());
        assertThat(target.list()).extracting(Generation::name).containsExactly(second.name(), first.name());
        assertThat(Files.size(target.archive(first.name()))).isEqualTo(first.archiveBytes());

        BackupManifest manifest = extract(second, temp.resolve("out"));
        assertThat(manifest.rowCounts()).containsEntry("patients", 3L);
        assertThat(Files.readAllBytes(temp.resolve("out/tsunagu.db"))).isEqualTo(Files.readAllBytes(dataDir.resolve("tsunagu.db")));
        for (Path file : attachments) {
            assertThat(Files.readAllBytes(temp.resolve("out").resolve(dataDir.relativize(file))))
                    .isEqualTo(Files.readAllBytes(file));
        }
        try (Stream<Path> partial = Files.list(target.partial())) {
            assertThat(partial).isEmpty();
        }
    }

    @Test
    void an_archive_cut_inside_its_last_part_is_truncated_not_tampered() throws Exception {
        Generation generation = backup(FIRST);
        try (RandomAccessFile file = new RandomAccessFile(target.archive(generation.name()).toFile(), "rw")) {
            file.setLength(file.length() - 7);
        }
        assertThatThrownBy(() -> extract(generation, temp.resolve("out")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("backup.truncated"));
    }

    @Test
    void an_archive_longer_than_its_record_is_tampered() throws Exception {
        Generation generation = backup(FIRST);
        Files.write(target.archive(generation.name()), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> extract(generation, temp.resolve("out")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("backup.tampered"));
    }

    @Test
    void an_object_cut_short_is_truncated_and_one_altered_is_tampered() throws Exception {
        Generation generation = backup(FIRST);
        Path largest = target.object(generation.objects().get(3));
        byte[] original = Files.readAllBytes(largest);

        Files.write(largest, java.util.Arrays.copyOf(original, original.length - 100));
        assertThatThrownBy(() -> extract(generation, temp.resolve("cut")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("backup.truncated"));

        byte[] altered = original.clone();
        altered[altered.length - 100] ^= 1;
        Files.write(largest, altered);
        assertThatThrownBy(() -> extract(generation, temp.resolve("altered")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("backup.tampered"));
    }

    @Test
    void a_missing_object_is_object_missing() throws Exception {
        Generation generation = backup(FIRST);
        Files.delete(target.object(generation.objects().get(1)));
        assertThatThrownBy(() -> extract(generation, temp.resolve("out")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("backup.object_missing"));
    }

    @Test
    void a_writer_closed_without_finishing_leaves_no_backup_and_nothing_in_partial() throws Exception {
        try (BackupTarget.Lock lock = target.lock();
                GenerationWriter writer = GenerationWriter.begin(target, lock, BackupKey.parseRecipient(key.recipient()), FIRST)) {
            writer.addFile("tsunagu.db", dataDir.resolve("tsunagu.db"));
        }
        assertThat(target.list()).isEmpty();
        try (Stream<Path> partial = Files.list(target.partial())) {
            assertThat(partial).isEmpty();
        }
    }

    @Test
    void a_second_lock_on_the_target_is_in_progress() {
        try (BackupTarget.Lock held = target.lock()) {
            assertThatThrownBy(target::lock)
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("backup.in_progress"));
        }
    }

    @Test
    void a_recorded_verification_is_listed_with_the_backup_and_a_failed_one_is_not_good() throws Exception {
        Generation generation = backup(FIRST);
        target.recordVerification(generation.name(), new Generation.Verification(false, FIRST.plusSeconds(60),
                "backup.tampered", "decrypt and check files: part 2 does not authenticate"));

        Generation listed = target.find(generation.name());
        assertThat(listed.good()).isFalse();
        assertThat(listed.verification().orElseThrow().code()).isEqualTo("backup.tampered");

        target.recordVerification(generation.name(), new Generation.Verification(true, FIRST.plusSeconds(120), null, null));
        assertThat(target.find(generation.name()).good()).isTrue();
    }

    @Test
    void deleting_a_backup_keeps_the_objects_another_backup_uses() throws Exception {
        Generation first = backup(FIRST);
        Generation second = backup(FIRST.plusSeconds(86400));
        try (BackupTarget.Lock lock = target.lock()) {
            assertThat(lock.delete(List.of(first))).isZero();
            assertThat(target.list()).extracting(Generation::name).containsExactly(second.name());
            assertThat(lock.delete(List.of(second))).isEqualTo(4);
        }
        assertThat(target.list()).isEmpty();
    }
}
