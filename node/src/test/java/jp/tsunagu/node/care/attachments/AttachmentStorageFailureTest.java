package jp.tsunagu.node.care.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload the node cannot write to its disk (full, or the folder unusable) gets a stable
 * {@code 503 storage.write_failed}, leaves no row and no partial file, and the node keeps serving.
 */
class AttachmentStorageFailureTest {

  @TempDir
  Path dir;

  @Test
  void an_upload_that_cannot_be_written_answers_503_storage_write_failed_and_leaves_nothing() throws Exception {
    try (CareTestbed bed = CareTestbed.start(dir)) {
      CareClient nurse = bed.professional("ns-disk", "宮坂", "由美", "nurse", bed.nursingStation);
      byte[] photo = AttachmentTest.image(320, 240, "jpg");
      String hash = AttachmentFiles.sha256(photo);
      Path attachments = bed.node.services().config().dataDir().resolve("attachments");
      Files.createDirectories(attachments);
      // where the file's folder would be, a file: the write fails as a full disk's does, with an IOException
      Files.writeString(attachments.resolve(hash.substring(0, 2)), "not a folder");
      var before = TestSql.rowCounts(bed.node);

      CareClient.Reply refused = nurse.upload(photo, "仙骨部.jpg", "image/jpeg");

      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.code()).isEqualTo("storage.write_failed");
      assertThat(refused.body()).doesNotContain("IOException").doesNotContain(hash);
      assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
      Files.delete(attachments.resolve(hash.substring(0, 2)));
      CareClient.Reply stored = nurse.upload(photo, "仙骨部.jpg", "image/jpeg");
      assertThat(stored.status()).as("the node keeps serving once it can write").isEqualTo(201);
    }
  }
}
