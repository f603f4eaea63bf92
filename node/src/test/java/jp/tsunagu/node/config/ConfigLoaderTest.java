package jp.tsunagu.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import jp.tsunagu.node.NodeMain;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  private NodeConfig load(JsonObject json) throws Exception {
    return load(json, Map.of());
  }

  private NodeConfig load(JsonObject json, Map<String, String> environment) throws Exception {
    Path file = dir.resolve("node.json");
    Files.writeString(file, json.encodePrettily());
    return new ConfigLoader(environment::get).load(file);
  }

  @Test
  void a_complete_file_loads_with_defaults_for_what_it_leaves_out() throws Exception {
    NodeConfig config = load(TestNodes.json("higashi-mikawa"));
    assertThat(config.node().name()).isEqualTo("higashi-mikawa");
    assertThat(config.node().municipalities()).hasSize(8).contains("232017", "235636");
    assertThat(config.dataDir()).isEqualTo(dir.resolve("higashi-mikawa-data"));
    assertThat(config.limits().requestBodyBytes()).isEqualTo(1_048_576);
    assertThat(config.session().idleTimeout().toMinutes()).isEqualTo(30);
    assertThat(config.session().absoluteTimeout().toHours()).isEqualTo(12);
    assertThat(config.log().format()).isEqualTo("text");
    assertThat(config.demo()).isFalse();
  }

  @Test
  void environment_variables_override_the_file() throws Exception {
    NodeConfig config = load(TestNodes.json("ina"), Map.of(
        "TSUNAGU_WEB_PORT", "18999",
        "TSUNAGU_NODE_DISPLAY_NAME", "伊那市テスト",
        "TSUNAGU_NODE_MUNICIPALITIES", "202096,203858",
        "TSUNAGU_LOG_FORMAT", "json"));
    assertThat(config.web().port()).isEqualTo(18999);
    assertThat(config.node().displayName()).isEqualTo("伊那市テスト");
    assertThat(config.node().municipalities()).containsExactly("202096", "203858");
    assertThat(config.log().format()).isEqualTo("json");
  }

  @Test
  void the_tls_engine_is_openssl_unless_the_file_says_jdk_and_nothing_else_is_taken() throws Exception {
    assertThat(load(TestNodes.json("ina")).tls().engine()).isEqualTo(TlsEngine.OPENSSL);
    JsonObject jdk = TestNodes.json("ina").put("tls", new JsonObject().put("engine", "jdk"));
    assertThat(load(jdk).tls().engine()).isEqualTo(TlsEngine.JDK);
    JsonObject other = TestNodes.json("ina").put("tls", new JsonObject().put("engine", "gnutls"));
    assertThatThrownBy(() -> load(other)).isInstanceOf(ConfigException.class)
        .hasMessage("tls.engine: must be one of openssl, jdk, got 'gnutls'");
  }

  @Test
  void the_openssl_engine_loads_on_the_supported_platform_and_goes_into_the_options() {
    // The node ships BoringSSL for linux-x86_64: there the engine asked for is the engine used.
    assertThat(TlsEngine.OPENSSL.effective()).isEqualTo(TlsEngine.OPENSSL);
    assertThat(TlsEngine.OPENSSL.applyTo(new io.vertx.core.http.HttpServerOptions()).getSslEngineOptions())
        .isInstanceOf(io.vertx.core.net.OpenSSLEngineOptions.class);
    assertThat(TlsEngine.JDK.applyTo(new io.vertx.core.http.HttpServerOptions()).getSslEngineOptions())
        .isInstanceOf(io.vertx.core.net.JdkSSLEngineOptions.class);
  }

  @Test
  void an_unknown_key_is_named() {
    JsonObject json = TestNodes.json("ina");
    json.getJsonObject("web").put("prot", 8443);
    assertThatThrownBy(() -> load(json)).isInstanceOf(ConfigException.class)
        .hasMessage("web.prot: unknown key");
  }

  @Test
  void a_municipality_code_with_a_wrong_check_digit_is_refused() {
    JsonObject json = TestNodes.json("ina");
    json.getJsonObject("node").put("municipalities", new JsonArray().add("202097"));
    assertThatThrownBy(() -> load(json)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("node.municipalities: '202097' is not a valid municipality code");
  }

  @Test
  void a_malformed_municipality_code_is_refused() {
    JsonObject json = TestNodes.json("ina");
    json.getJsonObject("node").put("municipalities", new JsonArray().add("20209"));
    assertThatThrownBy(() -> load(json)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("node.municipalities: '20209' is not a valid municipality code");
  }

  @Test
  void a_missing_required_key_is_named() {
    JsonObject json = TestNodes.json("ina");
    json.remove("dataDir");
    assertThatThrownBy(() -> load(json)).isInstanceOf(ConfigException.class).hasMessage("dataDir: is required");
  }

  @Test
  void a_port_out_of_range_or_not_a_number_is_named() {
    JsonObject json = TestNodes.json("ina");
    json.getJsonObject("web").put("port", 70000);
    assertThatThrownBy(() -> load(json)).hasMessage("web.port: must be between 0 and 65535, got 70000");
    assertThatThrownBy(() -> load(TestNodes.json("ina"), Map.of("TSUNAGU_ADMIN_PORT", "nine")))
        .hasMessage("admin.port: must be a whole number, got 'nine'");
  }

  @Test
  void the_watch_sensor_settings_default_and_are_checked() throws Exception {
    assertThat(load(TestNodes.json("ina")).sensors()).isEqualTo(NodeConfig.Sensors.defaults());
    JsonObject json = TestNodes.json("ina").put("sensors", new JsonObject().put("escalateAfterMinutes", 45));
    assertThat(load(json).sensors().escalateAfterMinutes()).isEqualTo(45);
    json.getJsonObject("sensors").put("escalateAfterMinutes", 0);
    assertThatThrownBy(() -> load(json)).hasMessage("sensors.escalateAfterMinutes: must be between 1 and 1440, got 0");
  }

  @Test
  void the_review_boards_deletion_delay_defaults_to_a_week_and_is_checked() throws Exception {
    assertThat(load(TestNodes.json("ina")).review()).isEqualTo(NodeConfig.Review.defaults());
    JsonObject json = TestNodes.json("ina").put("review", new JsonObject().put("deleteAfterDays", 14));
    assertThat(load(json).review().deleteAfterDays()).isEqualTo(14);
    json.getJsonObject("review").put("deleteAfterDays", 400);
    assertThatThrownBy(() -> load(json)).hasMessage("review.deleteAfterDays: must be between 0 and 365, got 400");
  }

  @Test
  void a_file_that_is_not_json_is_refused() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{ \"node\": ");
    assertThatThrownBy(() -> new ConfigLoader(k -> null).load(file)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config: not a JSON object");
  }

  @Test
  void a_port_in_use_is_named_before_anything_starts() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      JsonObject json = TestNodes.json("ina");
      json.getJsonObject("federation").put("port", taken.getLocalPort());
      NodeConfig config = load(json);
      assertThatThrownBy(() -> StartupChecks.requireFreePorts(config)).isInstanceOf(ConfigException.class)
          .hasMessage("federation.port: port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
    }
  }

  @Test
  void an_unwritable_data_directory_is_named() throws Exception {
    Path readOnly = Files.createDirectory(dir.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-x------"));
    try {
      JsonObject json = TestNodes.json("ina").put("dataDir", "read-only/data");
      NodeConfig config = load(json);
      if (Files.isWritable(readOnly)) {
        return; // running as a user who ignores permissions: nothing to check here
      }
      assertThatThrownBy(() -> StartupChecks.requireWritableDataDir(config)).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("dataDir: data directory ").hasMessageEndingWith("is not writable");
    } finally {
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void a_data_directory_below_a_file_is_named() throws Exception {
    Files.writeString(dir.resolve("a-file"), "x");
    NodeConfig config = load(TestNodes.json("ina").put("dataDir", "a-file/data"));
    assertThatThrownBy(() -> StartupChecks.requireWritableDataDir(config))
        .hasMessageStartingWith("dataDir: data directory ");
  }

  @Test
  void serve_with_a_bad_configuration_prints_one_line_and_exits_2() throws Exception {
    JsonObject json = TestNodes.json("ina");
    json.getJsonObject("node").put("municipalities", new JsonArray().add("202097"));
    Path file = dir.resolve("node.json");
    Files.writeString(file, json.encode());
    StringWriter err = new StringWriter();
    CommandLine commandLine = NodeMain.commandLine();
    commandLine.setErr(new PrintWriter(err));
    int exit = commandLine.execute("serve", "--config", file.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("error: node.municipalities: '202097'");
  }

  @Test
  void help_is_available_for_every_command() {
    for (String[] args : new String[][] {{"--help"}, {"serve", "--help"}, {"demo", "--help"}}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CommandLine commandLine = NodeMain.commandLine();
      commandLine.setOut(new PrintWriter(bytes, true, StandardCharsets.UTF_8));
      assertThat(commandLine.execute(args)).isZero();
      assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Usage:").contains("Examples:");
    }
  }

  @Test
  void the_web_address_and_connection_limits_load_with_their_defaults_and_are_checked() throws Exception {
    NodeConfig defaults = load(TestNodes.json("ina"));
    assertThat(defaults.webPublicUrl()).isEmpty();
    assertThat(defaults.limits().headerTimeoutSeconds()).isEqualTo(20);
    assertThat(defaults.limits().idleTimeoutSeconds()).isEqualTo(90);
    assertThat(defaults.limits().liveStreamsPerUser()).isEqualTo(20);
    assertThat(defaults.withPorts(8443, 9443, 9080).webUrl()).isEqualTo("https://127.0.0.1:8443");
    assertThat(defaults.withPorts(8443, 9443, 9080).portalUrl()).isEqualTo("https://127.0.0.1:8443");
    assertThat(defaults.withPorts(8443, 9443, 9080).federation().endpoint()).hasToString("https://127.0.0.1:9443");

    JsonObject json = TestNodes.json("ina");
    json.getJsonObject("web").put("publicUrl", "https://tsunagu.ina.example.jp/");
    json.put("portal", new JsonObject().put("publicUrl", "https://shigen.ina.example.jp"));
    NodeConfig configured = load(json, Map.of("TSUNAGU_LIMITS_LIVE_STREAMS_PER_USER", "5"));
    assertThat(configured.webUrl()).isEqualTo("https://tsunagu.ina.example.jp");
    assertThat(configured.portalUrl()).isEqualTo("https://shigen.ina.example.jp");
    assertThat(configured.limits().liveStreamsPerUser()).isEqualTo(5);

    for (String bad : new String[] {"http://tsunagu.ina.example.jp", "https://tsunagu.ina.example.jp/path",
        "https://user@tsunagu.ina.example.jp", "tsunagu.ina.example.jp"}) {
      JsonObject wrong = TestNodes.json("ina");
      wrong.getJsonObject("web").put("publicUrl", bad);
      assertThatThrownBy(() -> load(wrong)).isInstanceOfSatisfying(ConfigException.class,
          e -> assertThat(e.key()).isEqualTo("web.publicUrl"));
    }
    JsonObject wildcard = TestNodes.json("ina");
    wildcard.getJsonObject("web").put("host", "0.0.0.0");
    assertThatThrownBy(() -> load(wildcard)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.key()).isEqualTo("web.publicUrl"));
    wildcard.getJsonObject("web").put("publicUrl", "https://tsunagu.ina.example.jp");
    assertThat(load(wildcard).webUrl()).isEqualTo("https://tsunagu.ina.example.jp");
    JsonObject idle = TestNodes.json("ina").put("limits", new JsonObject().put("idleTimeoutSeconds", 10));
    assertThatThrownBy(() -> load(idle)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.key()).isEqualTo("limits.idleTimeoutSeconds"));
  }
}
