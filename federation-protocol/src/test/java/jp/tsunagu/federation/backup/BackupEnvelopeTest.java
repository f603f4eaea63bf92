package jp.tsunagu.federation.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import jp.tsunagu.federation.ProtocolException;

/** The envelope: what it seals opens unchanged with the right key, and every damage has its own code. */
class BackupEnvelopeTest {
    private static final BackupKey KEY = BackupKey.generate();
    private static final int CHUNK = BackupEnvelope.CHUNK;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17})
    void what_is_sealed_opens_unchanged(int length) throws IOException {
        byte[] plain = random(length);
        byte[] sealed = seal(plain, KEY);
        BackupEnvelope.Opened opened = BackupEnvelope.open(new ByteArrayInputStream(sealed), KEY);
        assertThat(opened.payload().readAllBytes()).isEqualTo(plain);
        assertThat(opened.about()).containsEntry("node", "ina");
        assertThat(new String(sealed, 0, Math.min(sealed.length, 4000), java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("no plain text of the payload in the file").doesNotContain("tsunagu-plain");
    }

    @Test
    void the_about_fields_read_without_the_key() throws IOException {
        assertThat(BackupEnvelope.about(new ByteArrayInputStream(seal(random(10), KEY)))).containsEntry("kind", "test");
    }

    @Test
    void another_key_is_refused_before_any_payload() throws IOException {
        byte[] sealed = seal(random(100), KEY);
        assertThatThrownBy(() -> BackupEnvelope.open(new ByteArrayInputStream(sealed), BackupKey.generate()))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("backup.key_wrong"));
    }

    @Test
    void a_header_naming_the_key_but_wrapping_another_file_key_is_refused() throws IOException {
        byte[] sealed = seal(random(100), KEY);
        byte[] other = seal(random(100), KEY);
        // the first file's header with the second file's wrapped key: the unwrap does not authenticate
        String header = new String(sealed, 0, indexOfNewline(sealed), java.nio.charset.StandardCharsets.UTF_8);
        String otherHeader = new String(other, 0, indexOfNewline(other), java.nio.charset.StandardCharsets.UTF_8);
        String swapped = header.replaceAll("\"wrappedKey\":\"[^\"]+\"", otherHeader.replaceAll(".*(\"wrappedKey\":\"[^\"]+\").*", "$1"));
        byte[] forged = concat(swapped.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Arrays.copyOfRange(sealed, indexOfNewline(sealed), sealed.length));
        assertThatThrownBy(() -> BackupEnvelope.open(new ByteArrayInputStream(forged), KEY))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("backup.key_wrong"));
    }

    @Test
    void one_byte_flipped_anywhere_in_the_payload_is_tampering() throws IOException {
        byte[] sealed = seal(random(2 * CHUNK + 100), KEY);
        int payloadStart = indexOfNewline(sealed) + 1;
        for (int at : new int[] {payloadStart, payloadStart + CHUNK + 20, sealed.length - 1}) {
            byte[] damaged = sealed.clone();
            damaged[at] ^= 0x01;
            assertThat(failure(damaged)).as("byte %d", at).isEqualTo("backup.tampered");
        }
    }

    @Test
    void an_edited_header_field_is_tampering() throws IOException {
        byte[] sealed = seal(random(500), KEY);
        String text = new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] edited = text.replace("\"node\":\"ina\"", "\"node\":\"inb\"").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(failure(edited)).isEqualTo("backup.tampered");
    }

    @Test
    void a_file_cut_short_is_truncation_whether_inside_a_chunk_or_at_its_boundary() throws IOException {
        byte[] sealed = seal(random(3 * CHUNK + 10), KEY);
        int payloadStart = indexOfNewline(sealed) + 1;
        int sealedChunk = CHUNK + 16;
        assertThat(failure(Arrays.copyOf(sealed, payloadStart + 2 * sealedChunk))).isEqualTo("backup.truncated");
        assertThat(failure(Arrays.copyOf(sealed, payloadStart + sealedChunk + 5))).isIn("backup.truncated", "backup.tampered");
        assertThat(failure(Arrays.copyOf(sealed, payloadStart + 3))).isEqualTo("backup.truncated");
    }

    @Test
    void bytes_added_after_the_last_chunk_are_tampering() throws IOException {
        byte[] sealed = seal(random(1000), KEY);
        assertThat(failure(concat(sealed, new byte[] {1, 2, 3}))).isEqualTo("backup.tampered");
    }

    @Test
    void a_file_that_is_no_backup_says_so() {
        assertThat(failure("PK\u0003\u0004 a zip file".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .isEqualTo("backup.not_a_backup");
    }

    @Test
    void keys_and_recipients_round_trip_as_text_and_refuse_other_text() {
        assertThat(BackupKey.parse(KEY.privateText() + "\n")).isEqualTo(KEY);
        assertThat(BackupKey.parseRecipient(KEY.recipient())).hasSize(32);
        assertThat(KEY.toString()).doesNotContain(KEY.privateText().substring(BackupKey.PRIVATE_PREFIX.length()));
        assertThatThrownBy(() -> BackupKey.parse(KEY.recipient())).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.code()).isEqualTo("backup.key_invalid"));
        assertThatThrownBy(() -> BackupKey.parseRecipient("tsunagu-backup-1-AAAA")).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.code()).isEqualTo("backup.recipient_invalid"));
    }

    private static String failure(byte[] file) {
        try {
            InputStream payload = BackupEnvelope.open(new ByteArrayInputStream(file), KEY).payload();
            payload.readAllBytes();
            return "opened";
        } catch (ProtocolException e) {
            return e.code();
        } catch (IOException e) {
            return "io: " + e.getMessage();
        }
    }

    private static byte[] seal(byte[] plain, BackupKey key) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (OutputStream out = BackupEnvelope.encrypt(file, BackupKey.parseRecipient(key.recipient()),
                Map.of("node", "ina", "kind", "test"))) {
            out.write(plain);
        }
        return file.toByteArray();
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        byte[] marker = "tsunagu-plain".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, bytes, 0, Math.min(marker.length, length));
        return bytes;
    }

    private static int indexOfNewline(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
