package jp.tsunagu.node.meetings;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that allows only its own Jitsi Meet server ({@code meetings.otherProviders off}). */
class JitsiOnlyNodeTest {

  @TempDir
  Path dir;

  @Test
  void a_link_to_another_provider_is_refused_and_changes_nothing_while_rooms_on_the_own_server_are_made() {
    try (MeetingsNode ina = new MeetingsNode(dir, new JsonObject().put("jitsiBaseUrl", "https://meet.ina.example.jp")
        .put("otherProviders", "off"))) {
      Map<String, Long> before = TestSql.rowCounts(ina.node);
      HttpResponse<String> refused = ina.doctor.postJson("/api/v1/meetings", ina.meeting("Zoom の会議", 30)
          .put("videoProvider", "link").put("videoUrl", "https://zoom.us/j/123456"));
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      assertThat(MeetingsApiTest.code(refused)).isEqualTo("meetings.provider_not_allowed");
      assertThat(TestSql.rowCounts(ina.node)).isEqualTo(before);
      assertThat(ina.schedule(ina.meeting("自前の会議", 30)).getString("videoUrl"))
          .startsWith("https://meet.ina.example.jp/tsunagu-");
    }
  }
}
