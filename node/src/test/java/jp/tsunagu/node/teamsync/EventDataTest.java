package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.federation.json.Json;
import org.junit.jupiter.api.Test;

/** An event's data copied as plain values is what writing it as text and reading it back gave, value for value. */
class EventDataTest {

  @Test
  void a_post_with_its_author_vitals_recipients_and_attachments_copies_to_what_the_text_round_trip_reads() {
    JsonObject post = new JsonObject().put("id", "p-1").put("category", "バイタル").put("kind", "vitals")
        .put("body", "血圧 128/76、体温 36.5℃ 🙂\n\"引用\" \\ タブ\t").put("formType", null)
        .put("formData", "{\"systolic\":128}").put("createdAt", "2026-12-07T03:00:00.123Z")
        .put("recipients", new JsonArray().add("mm-nurse@minamiminowa"))
        .put("attachments", new JsonArray().add(new JsonObject().put("id", "a-1").put("size", 123_456L)
            .put("sha256", "00ff").put("fileName", "写真.jpg").put("mediaType", "image/jpeg")))
        .put("vitals", new JsonObject().put("systolic", 128).put("temperature", 36.5).put("weight", 45.0)
            .put("spo2", 97).put("pulse", (Object) null).put("small", 1.0e-7).put("large", 1.0e21).put("negative", -0.0));
    JsonObject data = new JsonObject().put("author", new JsonObject().put("id", "ina-doctor@ina")
        .put("familyName", "伊那")).put("post", post).put("flags", new JsonArray().add(true).add(false).addNull())
        .put("empty", new JsonObject()).put("none", new JsonArray()).put("map", Map.of("k", List.of(1, "二")));

    assertRoundTripped(data);
  }

  @Test
  void values_the_text_round_trip_reads_otherwise_or_refuses_take_the_round_trip() {
    assertRoundTripped(new JsonObject().put("float", 0.1f).put("nan", Double.NaN).put("at", Instant.EPOCH)
        .put("bytes", new byte[] {1, 2, 3}));
    JsonObject deep = new JsonObject();
    JsonObject level = deep;
    for (int i = 0; i < 40; i++) {
      JsonObject next = new JsonObject();
      level.put("d", next);
      level = next;
    }
    assertRoundTripped(deep);
    assertThatThrownBy(() -> EventData.plain(new JsonObject().put("body", "半分だけ\uD83D")))
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo("json.malformed"));
    assertThatThrownBy(() -> EventData.plain(new JsonObject().put("\uDC00", 1)))
        .isInstanceOf(ProtocolException.class);
  }

  private static void assertRoundTripped(JsonObject data) {
    Map<String, Object> expected = Json.parseObject(data.encode());
    Map<String, Object> copied = EventData.plain(data);
    assertThat(copied).isEqualTo(expected);
    assertThat(CanonicalJson.write(copied)).isEqualTo(CanonicalJson.write(expected));
  }
}
