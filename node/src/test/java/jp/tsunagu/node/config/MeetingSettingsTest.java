package jp.tsunagu.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code meetings.*} keys: the Jitsi server is an https address, other providers on or off. */
class MeetingSettingsTest {

  @TempDir
  Path dir;

  private NodeConfig load(JsonObject meetings) {
    JsonObject json = TestNodes.json("ina");
    if (meetings != null) {
      json.put("meetings", meetings);
    }
    return new ConfigLoader(name -> null).fromJson(json, dir);
  }

  @Test
  void by_default_rooms_are_on_the_public_jitsi_server_and_pasted_links_are_allowed() {
    NodeConfig.Meetings meetings = load(null).meetings();
    assertThat(meetings.jitsiBaseUrl()).hasToString("https://meet.jit.si");
    assertThat(meetings.otherProviders()).isTrue();
  }

  @Test
  void a_self_hosted_server_and_jitsi_only_are_read() {
    NodeConfig.Meetings meetings = load(new JsonObject().put("jitsiBaseUrl", "https://meet.ina.example.jp/")
        .put("otherProviders", "off")).meetings();
    assertThat(meetings.jitsiBaseUrl()).hasToString("https://meet.ina.example.jp");
    assertThat(meetings.otherProviders()).isFalse();
  }

  @Test
  void a_server_that_is_not_https_or_a_bad_switch_stops_the_node_naming_the_key() {
    assertThatThrownBy(() -> load(new JsonObject().put("jitsiBaseUrl", "http://meet.ina.example.jp")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("meetings.jitsiBaseUrl"));
    assertThatThrownBy(() -> load(new JsonObject().put("otherProviders", "maybe")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("meetings.otherProviders"));
  }
}
