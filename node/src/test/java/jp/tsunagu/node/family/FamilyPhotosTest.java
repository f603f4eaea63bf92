package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Photos on the family's notebook entries: taken on the phone, shown on the entry and on its notice
 * on the team's timeline; anything but an image, a photo over the upload limit, another patient's
 * entry or photo, and photos past the allowance are refused with their codes and store nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyPhotosTest {

  @TempDir
  static Path dir;
  FamilyTestbed bed;
  CareClient phone;
  CareClient otherPhone;
  String entry;
  String otherEntry;

  @BeforeAll
  void start() {
    bed = new FamilyTestbed(dir);
    phone = bed.loggedIn(bed.invited(bed.doctor, bed.patient, "photo@example.jp"), 0);
    otherPhone = bed.loggedIn(bed.invited(bed.otherDoctor, bed.otherPatient, "other@example.jp"), 1);
    entry = entry(phone, "お昼はおかゆを半分");
    otherEntry = entry(otherPhone, "別所さんの夕食");
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  static String entry(CareClient phone, String body) {
    return FamilyTestbed.created(phone.post("/api/v1/family/notebook/entries",
        new JsonObject().put("kind", "食事").put("body", body)));
  }

  /** A real PNG photo, drawn here (a plain colour square). */
  static byte[] png(int rgb) {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 64; x++) {
      for (int y = 0; y < 48; y++) {
        image.setRGB(x, y, rgb + x * 3 + y);
      }
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String photos(String entryId) {
    return "/api/v1/family/notebook/entries/" + entryId + "/photos";
  }

  @Test
  void a_photo_shows_on_the_entry_for_the_family_and_on_the_notice_for_the_team() {
    CareClient.Reply sent = phone.postBytes(photos(entry), png(0x336699), "image/png");
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    String photo = sent.json().getString("id");
    assertThat(sent.json().getString("mediaType")).isEqualTo("image/png");

    JsonObject notebook = phone.get("/api/v1/family/notebook").json();
    JsonObject shown = notebook.getJsonArray("entries").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("id").equals(entry)).findFirst().orElseThrow();
    assertThat(shown.getJsonArray("photos").getList()).containsExactly(photo);
    assertThat(phone.get("/api/v1/family/notebook/photos/" + photo).status()).isEqualTo(200);
    assertThat(phone.get("/api/v1/family/notebook/photos/" + photo + "?size=thumbnail").status()).isEqualTo(200);

    // The team sees it on the family's notice, as an attachment of the post.
    CareClient.Reply timeline = bed.nurse.get("/api/v1/patients/" + bed.patient + "/posts");
    assertThat(timeline.body()).contains("お昼はおかゆを半分", photo);
    assertThat(bed.nurse.get("/api/v1/attachments/" + photo).status()).isEqualTo(200);
    String ofThisPhoto = "select count(*) from audit_log where action = ? and outcome = 'success' and detail like ?";
    assertThat(TestSql.count(bed.bed.node, ofThisPhoto, "family.photo.attached", "%" + photo + "%")).isEqualTo(1);
    assertThat(TestSql.count(bed.bed.node, ofThisPhoto, "family.photo.read", "%" + photo + "%")).isEqualTo(2);

    // Another patient's family sees none of it.
    CareClient.Reply elsewhere = otherPhone.get("/api/v1/family/notebook/photos/" + photo);
    assertThat(elsewhere.status()).isEqualTo(404);
    assertThat(elsewhere.code()).isEqualTo("family.not_found");
    assertThat(otherPhone.get("/api/v1/family/notebook").body()).doesNotContain(photo);
  }

  @Test
  void not_an_image_an_oversized_photo_and_another_patients_entry_are_refused_and_store_nothing() {
    Map<String, Long> before = TestSql.rowCounts(bed.bed.node);
    CareClient.Reply text = phone.postBytes(photos(entry), "これは写真ではありません".getBytes(StandardCharsets.UTF_8),
        "image/png");
    assertThat(text.status()).isEqualTo(400);
    assertThat(text.code()).isEqualTo("family.photo_not_image");
    CareClient.Reply pdf = phone.postBytes(photos(entry), "%PDF-1.4\n%âãÏÓ\n1 0 obj\n".getBytes(StandardCharsets.UTF_8),
        "application/pdf");
    assertThat(pdf.code()).isEqualTo("family.photo_not_image");
    CareClient.Reply empty = phone.postBytes(photos(entry), new byte[0], "image/jpeg");
    assertThat(empty.code()).isEqualTo("family.photo_not_image");

    long limit = bed.bed.node.services().config().limits().uploadBytes();
    byte[] big = new byte[(int) limit + 1];
    byte[] head = png(0x112233);
    System.arraycopy(head, 0, big, 0, head.length);
    CareClient.Reply oversized = phone.postBytes(photos(entry), big, "image/png");
    assertThat(oversized.status()).isEqualTo(413);
    assertThat(oversized.code()).isEqualTo("request.too_large");

    CareClient.Reply theirs = phone.postBytes(photos(otherEntry), png(0x445566), "image/png");
    assertThat(theirs.status()).isEqualTo(404);
    assertThat(theirs.code()).isEqualTo("family.not_found");
    CareClient.Reply unknown = phone.postBytes(photos("no-such-entry"), png(0x445566), "image/png");
    assertThat(unknown.code()).isEqualTo("family.not_found");
    CareClient.Reply noCsrf = bed.anonymous().postBytes(photos(entry), png(0x445566), "image/png");
    assertThat(noCsrf.status()).isEqualTo(404);
    assertThat(TestSql.rowCounts(bed.bed.node)).isEqualTo(before);
  }

  @Test
  void an_entry_takes_at_most_four_photos() {
    String full = entry(phone, "散歩の写真");
    for (int i = 0; i < PhotoRoutes.PER_ENTRY; i++) {
      assertThat(phone.postBytes(photos(full), png(0x200000 + i), "image/png").status()).isEqualTo(201);
    }
    Map<String, Long> before = TestSql.rowCounts(bed.bed.node);
    CareClient.Reply fifth = phone.postBytes(photos(full), png(0x300000), "image/png");
    assertThat(fifth.status()).isEqualTo(429);
    assertThat(fifth.code()).isEqualTo("family.too_many_photos");
    assertThat(TestSql.rowCounts(bed.bed.node)).isEqualTo(before);
  }
}
