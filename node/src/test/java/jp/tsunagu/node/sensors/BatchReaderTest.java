package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.StrictJson;
import jp.tsunagu.node.web.TextInventory;
import jp.tsunagu.node.web.TextPolicy;
import org.junit.jupiter.api.Test;

/**
 * The batch's streaming reader refuses what the general JSON path refused, with the same code (each
 * hostile body is also put through {@code StrictJson} and {@code TextPolicy} and must fail there the
 * same way), and reads a well-formed batch into the readings the ingest stores.
 */
class BatchReaderTest {

  private static final long NOW = 1_765_000_000_000L;

  @Test
  void a_batch_is_read_into_its_readings() {
    byte[] body = GatewayBatch.body("gw-1", "b-1", NOW, List.of(
        new GatewayBatch.Reading("hh-1-fridge", 41, NOW - 1_000, "open", null, null, 88),
        new GatewayBatch.Reading("hh-1-room", 9, NOW - 2_000, "climate", new BigDecimal("24.5"),
            new BigDecimal("55.0"), null)));
    BatchReader.Read read = BatchReader.read(body, 10);
    assertThat(IngestBatch.gatewayOf(read)).isEqualTo("gw-1");
    IngestBatch batch = IngestBatch.read(read, 10, NOW, NOW - 86_400_000L, 1);
    assertThat(batch.batch()).isEqualTo("b-1");
    assertThat(batch.sentMs()).isEqualTo(NOW);
    assertThat(batch.readings()).containsExactly(
        new IngestBatch.Reading("hh-1-fridge", 41, NOW - 1_000, "open", null, null, 88),
        new IngestBatch.Reading("hh-1-room", 9, NOW - 2_000, "climate", 245, 550, null));
  }

  @Test
  void what_is_not_strict_json_or_breaks_the_character_rules_is_refused_as_before() {
    String ok = "\"gateway\":\"gw-1\",\"batch\":\"b\",\"sentMs\":1,\"readings\":[";
    List<byte[]> hostile = new ArrayList<>(List.of(
        utf8(""), utf8("[1, 2]"), utf8("{\"gateway\": "), utf8("{" + ok + "]} trailing"),
        utf8("{" + ok + "], \"gateway\":\"gw-2\"}"),
        utf8("{" + ok + "{\"device\":\"d\",\"device\":\"e\"}]}"),
        utf8("{" + ok + "{\"temperature\":NaN}]}"), utf8("{" + ok + "{\"temperature\":1e400}]}"),
        utf8("{" + ok + "]} /* comment */"),
        utf8("{" + ok + "{\"device\":\"d\u202Eevil\"}]}"),
        utf8("{" + ok + "{\"dev\\nice\":\"d\"}]}"),
        utf8("{\"gateway\":\"gw\u0007\",\"batch\":\"b\",\"sentMs\":1,\"readings\":[]}"),
        utf8("{" + ok + "{\"note\":" + "[".repeat(40) + "]".repeat(40) + "}]}")));
    byte[] badUtf8 = utf8("{" + ok + "{\"device\":\"dX\"}]}");
    badUtf8[new String(badUtf8, StandardCharsets.UTF_8).indexOf('X')] = (byte) 0xC0;
    hostile.add(badUtf8);
    for (byte[] body : hostile) {
      String general = generalCode(body);
      assertThat(general).as(new String(body, StandardCharsets.UTF_8)).isNotNull();
      assertThatThrownBy(() -> BatchReader.read(body, 10)).as(new String(body, StandardCharsets.UTF_8))
          .isInstanceOfSatisfying(CodedException.class, e -> assertThat(e.code()).isEqualTo(general));
    }
  }

  @Test
  void a_body_not_of_the_documented_shape_is_a_malformed_batch() {
    for (String body : List.of("{\"gateway\":\"gw-1\",\"batch\":\"b\",\"sentMs\":1}",
        "{\"gateway\":\"gw-1\",\"batch\":\"b\",\"sentMs\":\"soon\",\"readings\":[]}",
        "{\"gateway\":1,\"batch\":\"b\",\"sentMs\":1,\"readings\":[]}",
        "{\"gateway\":\"gw-1\",\"batch\":\"b\",\"sentMs\":1,\"readings\":{}}",
        "{\"gateway\":\"gw-1\",\"batch\":\"b\",\"sentMs\":1,\"readings\":[1]}")) {
      assertThatThrownBy(() -> BatchReader.read(utf8(body), 10)).as(body)
          .isInstanceOfSatisfying(CodedException.class, e -> assertThat(e.code()).isEqualTo("ingest.batch_malformed"));
    }
  }

  @Test
  void a_batch_of_too_many_readings_keeps_one_more_than_the_limit_and_is_refused() {
    List<GatewayBatch.Reading> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add(new GatewayBatch.Reading("hh-1-fridge", i, NOW - 1_000, "open", null, null, null));
    }
    BatchReader.Read read = BatchReader.read(GatewayBatch.body("gw-1", "b-1", NOW, many), 10);
    assertThat(read.count()).isEqualTo(50);
    assertThat(read.readings()).hasSize(11);
    assertThatThrownBy(() -> IngestBatch.read(read, 10, NOW, NOW - 86_400_000L, 1))
        .isInstanceOfSatisfying(CodedException.class, e -> assertThat(e.code()).isEqualTo("ingest.too_many_readings"));
  }

  /** The code the general path gave: strict JSON, then the character rules of every string and key. */
  private static String generalCode(byte[] body) {
    try {
      JsonObject json = StrictJson.object(Buffer.buffer(body));
      TextPolicy.apply(json, TextInventory.route("POST", "/api/v1/gateway/batches"));
      return null;
    } catch (CodedException e) {
      return e.code();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
