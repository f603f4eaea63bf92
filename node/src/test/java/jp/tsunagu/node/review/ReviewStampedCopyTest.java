package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A material opened again within the minute is served from the stamped copy kept for that reader, still
 * checked and audited at every opening; another reader gets her own stamp; a withdrawn or deleted
 * material's copies are dropped and it is 404 at once.
 */
class ReviewStampedCopyTest {

  @TempDir
  static Path dir;
  static ReviewBed bed;
  static String session;
  static String caseId;

  @BeforeAll
  static void start() {
    bed = new ReviewBed(dir);
    session = bed.session(Duration.ofDays(1));
    caseId = bed.addCase(session, "C-001", "care_1");
    bed.release(session);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static StampedCopies copies() {
    return bed.node.feature(ReviewFeature.class).stampedCopies();
  }

  private static long opened(String material, String copy) {
    return TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.material.opened'"
        + " and target = ? and detail like ?", "review_material:" + material, "%\"copy\":\"" + copy + "\"%");
  }

  @Test
  void opening_again_within_the_minute_serves_the_kept_copy_and_every_opening_is_audited() {
    String material = bed.material(caseId, ReviewBed.pdf("kept copy", 0));
    CareClient dentist = bed.members.get(2);
    // Twice in a row; should the minute turn in between, the second is stamped anew: try once more.
    int downloads = 0;
    for (int attempt = 0; attempt < 3 && opened(material, "kept") == 0; attempt++) {
      downloads += 2;
      HttpResponse<byte[]> first = dentist.download("/api/v1/review/my/materials/" + material);
      HttpResponse<byte[]> second = dentist.download("/api/v1/review/my/materials/" + material);
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(ReviewBed.text(second.body())).contains("酒井");
    }
    assertThat(opened(material, "kept")).isGreaterThanOrEqualTo(1);
    assertThat(opened(material, "kept") + opened(material, "stamped")).isEqualTo(downloads);
    // The chair is not served the dentist's copy.
    HttpResponse<byte[]> chair = bed.chair().download("/api/v1/review/my/materials/" + material);
    assertThat(ReviewBed.text(chair.body())).contains("北原").doesNotContain("酒井");
    // An outsider is refused before any copy is looked at.
    assertThat(bed.outsider.download("/api/v1/review/my/materials/" + material).statusCode()).isEqualTo(404);
  }

  @Test
  void a_withdrawn_material_leaves_no_kept_copy_and_is_404_at_once() {
    String material = bed.material(caseId, ReviewBed.pdf("withdrawn copy", 1));
    CareClient dentist = bed.members.get(2);
    assertThat(dentist.download("/api/v1/review/my/materials/" + material).statusCode()).isEqualTo(200);
    int held = copies().size();
    assertThat(held).isGreaterThanOrEqualTo(1);
    ReviewBed.ok(bed.secretariat.post("/api/v1/review/materials/" + material + "/withdraw", new JsonObject()));
    assertThat(copies().size()).isEqualTo(held - 1);
    assertThat(dentist.download("/api/v1/review/my/materials/" + material).statusCode()).isEqualTo(404);
  }

  @Test
  void the_deletion_drops_the_kept_copies_of_the_sessions_materials() throws Exception {
    String closed = bed.session(Duration.ofDays(1));
    String only = bed.addCase(closed, "C-900", "care_2");
    String material = bed.material(only, ReviewBed.pdf("deleted copy", 2));
    bed.release(closed);
    assertThat(bed.members.get(3).download("/api/v1/review/my/materials/" + material).statusCode()).isEqualTo(200);
    int held = copies().size();
    ReviewBed.ok(bed.chair().put("/api/v1/review/my/cases/" + only + "/decision", new JsonObject()
        .put("level", "care_2").put("months", 12)));
    ReviewBed.ok(bed.secretariat.post("/api/v1/review/sessions/" + closed + "/confirm", new JsonObject()));
    bed.node.feature(ReviewFeature.class).deleteDue(bed.node.vertx()).await(30, TimeUnit.SECONDS);
    assertThat(copies().size()).isEqualTo(held - 1);
    assertThat(bed.members.get(3).download("/api/v1/review/my/materials/" + material).statusCode()).isEqualTo(404);
  }
}
