package jp.tsunagu.node.care;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's directory of professionals to invite (issue 15, item 11), on a real node over real TLS:
 * a search text is required as in the partner directory, and {@code %} and {@code _} match only
 * themselves, so no query lists the whole node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProfessionalDirectoryQueryTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-dir", "北原", "健一", "doctor", bed.clinic);
    bed.professional("ns-dir", "宮坂", "由美", "nurse", bed.nursingStation);
    bed.professional("cm-dir", "藤澤", "聡子", "care_manager", bed.nursingStation);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private CareClient.Reply search(String query) {
    return doctor.get("/api/v1/professionals" + (query == null ? "" : "?q=" + URLEncoder.encode(query,
        StandardCharsets.UTF_8)));
  }

  @Test
  void an_empty_blank_long_or_unclean_query_is_refused_with_the_directory_codes_and_lists_nobody() {
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    Map<String, String> refusals = Map.of("", "directory.query_required", "   ", "directory.query_required",
        "　　", "directory.query_required", "あ".repeat(41), "directory.query_too_long",
        "宮\u0000坂", "directory.query_invalid", "宮\n坂", "directory.query_invalid");
    for (var refusal : refusals.entrySet()) {
      CareClient.Reply reply = search(refusal.getKey());
      assertThat(reply.status()).as(refusal.getKey()).isEqualTo(400);
      assertThat(reply.code()).as(refusal.getKey()).isEqualTo(refusal.getValue());
      assertThat(reply.json().fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
      assertThat(reply.body()).doesNotContain("宮坂", "藤澤", "北原");
    }
    CareClient.Reply missing = search(null);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.code()).isEqualTo("directory.query_required");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
  }

  @Test
  void like_wildcards_match_only_themselves() {
    for (String wildcard : List.of("_", "%", "__", "%%", "\\", "_%")) {
      CareClient.Reply reply = search(wildcard);
      assertThat(reply.status()).as("wildcards alone are no search text: " + wildcard).isEqualTo(400);
      assertThat(reply.code()).as(wildcard).isEqualTo("directory.query_required");
    }
    for (String withWildcard : List.of("宮_", "宮%", "いな\\")) {
      CareClient.Reply reply = search(withWildcard);
      assertThat(reply.status()).as(withWildcard).isEqualTo(200);
      assertThat(reply.json().getJsonArray("professionals")).as(withWildcard).isEmpty();
    }
  }

  @Test
  void a_real_name_or_facility_still_finds_the_professionals() {
    assertThat(names(search("宮坂"))).containsExactly("宮坂 由美");
    assertThat(names(search("いな訪問"))).containsExactlyInAnyOrder("宮坂 由美", "藤澤 聡子");
  }

  private static List<String> names(CareClient.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("professionals").stream().map(p -> ((JsonObject) p).getString("name")).toList();
  }
}
