package jp.tsunagu.node.care.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class AttachmentTest {

  static final int LIMIT = 200_000;

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient nurse;
  CareClient doctor;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir, new JsonObject().put("limits", new JsonObject().put("uploadBytes", LIMIT)));
    nurse = bed.professional("ns-photo", "宮坂", "由美", "nurse", bed.nursingStation);
    doctor = bed.professional("dr-photo", "北原", "健一", "doctor", bed.clinic);
    patient = nurse.post("/api/v1/patients", CareApiTest.patient("写真", "ハナ", "シャシン", "ハナ", "1931-01-01")
        .put("teamRole", "訪問看護")).json().getString("id");
    nurse.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", doctor.userId).put("teamRole", "主治医"));
    doctor.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  public static byte[] png(int width, int height) {
    return image(width, height, "png");
  }

  public static byte[] image(int width, int height, String format) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < width; x++) {
      image.setRGB(x, x * height / width, 0xCC3333);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] docx() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      zip.write("<w:document/>".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] dicom() {
    byte[] content = new byte[300];
    System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, content, 128, 4);
    return content;
  }

  @Test
  void a_photo_is_posted_with_a_thumbnail_stored_once_by_hash_and_downloaded_by_members() throws Exception {
    byte[] photo = image(800, 600, "jpg");
    JsonObject uploaded = nurse.upload(photo, "仙骨部 2025-01-10.jpg", "image/jpeg").json();
    assertThat(uploaded.getBoolean("thumbnail")).isTrue();
    JsonObject post = nurse.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "褥瘡の写真です").put("attachments", new JsonArray().add(uploaded.getString("id")))).json();
    assertThat(post.getJsonArray("attachments").getJsonObject(0).getString("name")).isEqualTo("仙骨部 2025-01-10.jpg");
    HttpResponse<byte[]> download = doctor.download("/api/v1/attachments/" + uploaded.getString("id"));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(photo);
    assertThat(download.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    HttpResponse<byte[]> thumbnail = doctor.download("/api/v1/attachments/" + uploaded.getString("id") + "/thumbnail");
    assertThat(ImageIO.read(new java.io.ByteArrayInputStream(thumbnail.body())).getWidth()).isEqualTo(320);
    String hash = AttachmentFiles.sha256(photo);
    assertThat(Files.exists(bed.node.services().config().dataDir().resolve("attachments")
        .resolve(hash.substring(0, 2)).resolve(hash))).isTrue();
    nurse.upload(photo, "同じ写真.jpg", "image/jpeg");
    try (var files = Files.list(bed.node.services().config().dataDir().resolve("attachments")
        .resolve(hash.substring(0, 2)))) {
      assertThat(files.filter(f -> f.getFileName().toString().equals(hash)).count()).isEqualTo(1);
    }
  }

  @Test
  void office_files_faxes_pdfs_and_dicom_are_recognised_by_content() {
    assertThat(nurse.upload(docx(), "訪問看護計画書.docx", "application/octet-stream").json().getString("mediaType"))
        .isEqualTo(AttachmentType.DOCX.mediaType());
    assertThat(nurse.upload("%PDF-1.7\n...".getBytes(StandardCharsets.US_ASCII), "紹介状.pdf", "application/pdf")
        .status()).isEqualTo(201);
    assertThat(nurse.upload(image(200, 100, "tiff"), "fax.tif", "image/tiff").json().getString("mediaType"))
        .isEqualTo("image/tiff");
    assertThat(nurse.upload(dicom(), "CT0001.dcm", "application/dicom").json().getString("mediaType"))
        .isEqualTo("application/dicom");
  }

  @Test
  void a_lying_extension_a_lying_content_type_an_unknown_kind_and_an_empty_file_are_refused() {
    assertThat(nurse.upload(png(10, 10), "紹介状.pdf", "application/octet-stream").code())
        .isEqualTo("care.attachment_name_mismatch");
    assertThat(nurse.upload(png(10, 10), "photo.png", "application/pdf").code())
        .isEqualTo("care.attachment_type_mismatch");
    assertThat(nurse.upload("<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8), "x.html", "text/html")
        .code()).isEqualTo("care.attachment_unsupported");
    assertThat(nurse.upload(new byte[0], "empty.jpg", "image/jpeg").code()).isEqualTo("care.attachment_empty");
    byte[] zip = docx();
    zip[zip.length / 2] ^= 0x55;
    assertThat(nurse.upload("PK\u0003\u0004 not office".getBytes(StandardCharsets.ISO_8859_1), "a.docx",
        "application/octet-stream").code()).isEqualTo("care.attachment_unsupported");
  }

  @Test
  void an_upload_over_the_size_limit_is_refused_and_the_node_keeps_serving() {
    byte[] big = new byte[LIMIT + 1];
    big[0] = (byte) 0xFF;
    big[1] = (byte) 0xD8;
    big[2] = (byte) 0xFF;
    CareClient.Reply reply = nurse.upload(big, "large.jpg", "image/jpeg");
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.code()).isEqualTo("request.too_large");
    assertThat(new io.vertx.core.json.JsonObject(reply.body()).getString("requestId"))
        .as("the refusal carries a real request id").matches("[0-9a-f]{16}");
    assertThat(nurse.get("/api/v1/patients/" + patient).status()).isEqualTo(200);
  }

  @Test
  void someone_elses_unposted_upload_can_be_neither_downloaded_nor_attached() {
    String id = nurse.upload(png(20, 20), "a.png", "image/png").json().getString("id");
    assertThat(doctor.get("/api/v1/attachments/" + id).status()).isEqualTo(404);
    assertThat(doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "x").put("attachments", new JsonArray().add(id))).code()).isEqualTo("care.attachment_unknown");
  }
}
