package jp.tsunagu.node.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.node.config.ConfigKey.Kind;

/**
 * Loads {@link NodeConfig} from a JSON file, then applies environment overrides
 * ({@code TSUNAGU_*}), then validates every value. Each problem becomes a {@link ConfigException}
 * naming the key. Relative paths are resolved against the configuration file's directory.
 */
public final class ConfigLoader {

  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,39}");

  static final List<ConfigKey> KEYS = List.of(
      ConfigKey.required("node.name", Kind.TEXT),
      ConfigKey.optional("node.displayName", Kind.TEXT, null),
      ConfigKey.required("node.municipalities", Kind.TEXT_LIST),
      ConfigKey.required("dataDir", Kind.TEXT),
      ConfigKey.optional("web.host", Kind.TEXT, "127.0.0.1"),
      ConfigKey.optional("web.port", Kind.INTEGER, "8443"),
      ConfigKey.optional("web.publicUrl", Kind.TEXT, null),
      ConfigKey.optional("federation.host", Kind.TEXT, "127.0.0.1"),
      ConfigKey.optional("federation.port", Kind.INTEGER, "9443"),
      ConfigKey.optional("federation.endpoint", Kind.TEXT, null),
      ConfigKey.optional("admin.host", Kind.TEXT, "127.0.0.1"),
      ConfigKey.optional("admin.port", Kind.INTEGER, "9080"),
      ConfigKey.optional("tls.certificateFile", Kind.TEXT, null),
      ConfigKey.optional("tls.privateKeyFile", Kind.TEXT, null),
      ConfigKey.optional("tls.engine", Kind.TEXT, TlsEngine.DEFAULT.configName()),
      ConfigKey.optional("limits.requestBodyBytes", Kind.INTEGER, "1048576"),
      ConfigKey.optional("limits.uploadBytes", Kind.INTEGER, "26214400"),
      ConfigKey.optional("limits.headerTimeoutSeconds", Kind.INTEGER, "20"),
      ConfigKey.optional("limits.idleTimeoutSeconds", Kind.INTEGER, "90"),
      ConfigKey.optional("limits.liveStreamsPerUser", Kind.INTEGER, "20"),
      ConfigKey.optional("storage.readConnections", Kind.INTEGER, "4"),
      ConfigKey.optional("storage.busyTimeoutMillis", Kind.INTEGER, "10000"),
      ConfigKey.optional("storage.maxWriteBatch", Kind.INTEGER, "256"),
      ConfigKey.optional("storage.backupBeforeMigration", Kind.TEXT, "on"),
      ConfigKey.optional("session.idleMinutes", Kind.INTEGER, "30"),
      ConfigKey.optional("session.absoluteHours", Kind.INTEGER, "12"),
      ConfigKey.optional("mail.host", Kind.TEXT, null),
      ConfigKey.optional("mail.port", Kind.INTEGER, "587"),
      ConfigKey.optional("mail.from", Kind.TEXT, null),
      ConfigKey.optional("mail.startTls", Kind.TEXT, "required"),
      ConfigKey.optional("mail.username", Kind.TEXT, null),
      ConfigKey.optional("mail.password", Kind.TEXT, null),
      ConfigKey.optional("map.tileUrl", Kind.TEXT, "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"),
      ConfigKey.optional("map.attribution", Kind.TEXT, "国土地理院"),
      ConfigKey.optional("map.attributionUrl", Kind.TEXT, "https://maps.gsi.go.jp/development/ichiran.html"),
      ConfigKey.optional("geocoder.url", Kind.TEXT, "https://msearch.gsi.go.jp/address-search/AddressSearch?q="),
      ConfigKey.optional("portal.publicUrl", Kind.TEXT, null),
      ConfigKey.optional("backup.target", Kind.TEXT, null),
      ConfigKey.optional("backup.recipient", Kind.TEXT, null),
      ConfigKey.optional("backup.schedule", Kind.TEXT, "02:00"),
      ConfigKey.optional("backup.zone", Kind.TEXT, "Asia/Tokyo"),
      ConfigKey.optional("backup.keepDaily", Kind.INTEGER, "7"),
      ConfigKey.optional("backup.keepWeekly", Kind.INTEGER, "4"),
      ConfigKey.optional("backup.keepMonthly", Kind.INTEGER, "12"),
      ConfigKey.optional("backup.withKeys", Kind.TEXT, "off"),
      ConfigKey.optional("sensors.rawRetentionDays", Kind.INTEGER, "90"),
      ConfigKey.optional("sensors.maxBatchBytes", Kind.INTEGER, "1048576"),
      ConfigKey.optional("sensors.maxBatchReadings", Kind.INTEGER, "5000"),
      ConfigKey.optional("sensors.escalateAfterMinutes", Kind.INTEGER, "30"),
      ConfigKey.optional("sensors.peopleFirstMs", Kind.INTEGER, "40"),
      ConfigKey.optional("review.deleteAfterDays", Kind.INTEGER, "7"),
      ConfigKey.optional("meetings.jitsiBaseUrl", Kind.TEXT, "https://meet.jit.si"),
      ConfigKey.optional("meetings.otherProviders", Kind.TEXT, "on"),
      ConfigKey.optional("cluster.name", Kind.TEXT, null),
      ConfigKey.optional("cluster.members", Kind.TEXT_LIST, null),
      ConfigKey.optional("cluster.host", Kind.TEXT, "127.0.0.1"),
      ConfigKey.optional("cluster.port", Kind.INTEGER, "5701"),
      ConfigKey.optional("cluster.eventBusPort", Kind.INTEGER, "5801"),
      ConfigKey.optional("cluster.syncReplicas", Kind.INTEGER, "1"),
      ConfigKey.optional("cluster.cpMembers", Kind.INTEGER, "3"),
      ConfigKey.optional("cluster.maxReadyLag", Kind.INTEGER, "100"),
      ConfigKey.optional("cluster.keepBatches", Kind.INTEGER, "10000"),
      ConfigKey.optional("cluster.resyncAtStart", Kind.TEXT, "off"),
      ConfigKey.optional("log.format", Kind.TEXT, "text"),
      ConfigKey.optional("log.level", Kind.TEXT, "INFO"));

  private final Function<String, String> environment;

  /** A loader that reads overrides from the given environment (a map lookup in tests). */
  public ConfigLoader(Function<String, String> environment) {
    this.environment = environment;
  }

  /** A loader that reads overrides from the process environment. */
  public static ConfigLoader fromProcessEnvironment() {
    return new ConfigLoader(System::getenv);
  }

  /** Reads, overrides and validates the configuration file. */
  public NodeConfig load(Path file) {
    NodeConfig config = fromJson(readFile(file), file.toAbsolutePath().getParent());
    return config.withBackup(config.backup().withConfigFile(file.toAbsolutePath()));
  }

  /** Validates a configuration given as JSON (the demo builds its nodes' configuration this way). */
  public NodeConfig fromJson(JsonObject json, Path baseDir) {
    Map<String, Object> values = flatten(json);
    applyEnvironment(values);
    return build(new ConfigValues(values), baseDir);
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new ConfigException("config", "file not found: " + file);
    } catch (IOException e) {
      throw new ConfigException("config", "cannot read " + file + ": " + e.getMessage());
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("config", "not a JSON object: " + file);
    }
  }

  /** Flattens nested objects to dotted keys and refuses keys the node does not know. */
  private static Map<String, Object> flatten(JsonObject json) {
    Map<String, Object> flat = new LinkedHashMap<>();
    flattenInto("", json, flat);
    for (String key : flat.keySet()) {
      if (KEYS.stream().noneMatch(k -> k.path().equals(key))) {
        throw new ConfigException(key, "unknown key");
      }
    }
    return flat;
  }

  private static void flattenInto(String prefix, JsonObject json, Map<String, Object> flat) {
    for (Map.Entry<String, Object> entry : json) {
      String key = prefix + entry.getKey();
      if (entry.getValue() instanceof JsonObject nested) {
        flattenInto(key + ".", nested, flat);
      } else if (entry.getValue() != null) {
        flat.put(key, entry.getValue());
      }
    }
  }

  private void applyEnvironment(Map<String, Object> values) {
    for (ConfigKey key : KEYS) {
      String override = environment.apply(key.environmentVariable());
      if (override != null && !override.isBlank()) {
        values.put(key.path(), override.trim());
      }
    }
  }

  private static NodeConfig build(ConfigValues v, Path baseDir) {
    String name = v.text("node.name");
    if (!NODE_NAME.matcher(name).matches()) {
      throw new ConfigException("node.name", "must be 2-40 lowercase letters, digits or '-', got '" + name + "'");
    }
    List<String> municipalities = municipalities(v.textList("node.municipalities"));
    NodeConfig.NodeSection node = new NodeConfig.NodeSection(
        name, v.optionalText("node.displayName").orElse(name), municipalities);

    NodeConfig.Listener web = new NodeConfig.Listener(v.text("web.host"), v.port("web.port"));
    String federationHost = v.text("federation.host");
    int federationPort = v.port("federation.port");
    Optional<URI> configuredEndpoint = v.optionalText("federation.endpoint").map(s -> httpsUri("federation.endpoint", s));
    URI endpoint = configuredEndpoint.orElse(URI.create("https://" + federationHost + ":" + federationPort));
    NodeConfig.Federation federation = new NodeConfig.Federation(federationHost, federationPort, endpoint,
        configuredEndpoint.isPresent());
    NodeConfig.Listener admin = new NodeConfig.Listener(v.text("admin.host"), v.port("admin.port"));
    requireDistinctPorts(web, federation, admin);

    Optional<Path> cert = v.optionalText("tls.certificateFile").map(s -> readableFile("tls.certificateFile", baseDir, s));
    Optional<Path> key = v.optionalText("tls.privateKeyFile").map(s -> readableFile("tls.privateKeyFile", baseDir, s));
    if (cert.isPresent() != key.isPresent()) {
      throw new ConfigException(cert.isPresent() ? "tls.privateKeyFile" : "tls.certificateFile",
          "tls.certificateFile and tls.privateKeyFile go together: set both or neither");
    }

    Optional<URI> webPublicUrl = v.optionalText("web.publicUrl").map(s -> originUri("web.publicUrl", s));
    if (webPublicUrl.isEmpty() && isWildcard(web.host())) {
      // Links and the hosts served come from configuration only: "https://0.0.0.0:8443" is neither.
      throw new ConfigException("web.publicUrl", "is required when web.host is a wildcard address ('" + web.host()
          + "'): the https:// address people reach the node at");
    }
    return new NodeConfig(
        node,
        baseDir.resolve(v.text("dataDir")).normalize(),
        web,
        federation,
        admin,
        new NodeConfig.Tls(cert, key, TlsEngine.valueOf(v.oneOf("tls.engine", "openssl", "jdk").toUpperCase(Locale.ROOT))),
        new NodeConfig.Limits(v.positive("limits.requestBodyBytes"), v.positive("limits.uploadBytes"),
            (int) v.range("limits.headerTimeoutSeconds", 1, 600), (int) v.range("limits.idleTimeoutSeconds", 30, 3600),
            (int) v.range("limits.liveStreamsPerUser", 1, 1000)),
        new NodeConfig.Storage(
            (int) v.range("storage.readConnections", 1, 64),
            Duration.ofMillis(v.range("storage.busyTimeoutMillis", 0, 600_000)),
            (int) v.range("storage.maxWriteBatch", 1, 10_000),
            v.oneOf("storage.backupBeforeMigration", "on", "off").equals("on")),
        new NodeConfig.Session(
            Duration.ofMinutes(v.range("session.idleMinutes", 1, 24 * 60)),
            Duration.ofHours(v.range("session.absoluteHours", 1, 7 * 24))),
        new NodeConfig.Log(v.oneOf("log.format", "text", "json"),
            v.oneOf("log.level", "TRACE", "DEBUG", "INFO", "WARN", "ERROR")),
        mail(v, name),
        map(v),
        BackupSettings.read(v, baseDir),
        new NodeConfig.Sensors((int) v.range("sensors.rawRetentionDays", 1, 3650),
            v.range("sensors.maxBatchBytes", 1024, 64L * 1024 * 1024), (int) v.range("sensors.maxBatchReadings", 1, 100_000),
            (int) v.range("sensors.escalateAfterMinutes", 1, 1440), (int) v.range("sensors.peopleFirstMs", 0, 1000)),
        webPublicUrl,
        false,
        MeetingSettings.read(v),
        new NodeConfig.Review((int) v.range("review.deleteAfterDays", 0, 365)),
        ClusterSettings.read(v));
  }

  private static NodeConfig.Maps map(ConfigValues v) {
    String tiles = v.text("map.tileUrl");
    if (!tiles.startsWith("https://") || !tiles.contains("{z}") || !tiles.contains("{x}") || !tiles.contains("{y}")) {
      throw new ConfigException("map.tileUrl", "must be an https:// URL template with {z}, {x} and {y}, got '" + tiles
          + "'");
    }
    httpsUri("map.tileUrl", tiles.replace("{", "").replace("}", ""));
    return new NodeConfig.Maps(tiles, v.text("map.attribution"), httpUri("map.attributionUrl",
        v.text("map.attributionUrl")), httpUri("geocoder.url", v.text("geocoder.url")),
        v.optionalText("portal.publicUrl").map(s -> httpsUri("portal.publicUrl", s)));
  }

  /** http or https: a geocoder on the municipality's own network may be plain HTTP. */
  private static URI httpUri(String key, String value) {
    try {
      URI uri = new URI(value);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(key, "must be an http:// or https:// URL with a host, got '" + value + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "not a URL: '" + value + "'");
    }
  }

  private static NodeConfig.Mail mail(ConfigValues v, String nodeName) {
    Optional<String> host = v.optionalText("mail.host");
    String from = v.optionalText("mail.from").orElse("tsunagu@" + nodeName + ".invalid");
    if (!from.matches("[^@\\s]+@[^@\\s]+")) {
      throw new ConfigException("mail.from", "must be an e-mail address, got '" + from + "'");
    }
    Optional<String> username = v.optionalText("mail.username");
    Optional<String> password = v.optionalText("mail.password");
    if (username.isPresent() != password.isPresent()) {
      throw new ConfigException("mail.password", "mail.username and mail.password go together: set both or neither");
    }
    return new NodeConfig.Mail(host, v.port("mail.port"), from, v.oneOf("mail.startTls", "required", "optional",
        "disabled"), username, password);
  }

  private static List<String> municipalities(List<String> codes) {
    if (codes.isEmpty()) {
      throw new ConfigException("node.municipalities", "at least one municipality code is required");
    }
    List<String> valid = new ArrayList<>();
    for (String code : codes) {
      try {
        valid.add(MunicipalityCode.parse(code).value());
      } catch (ProtocolException e) {
        throw new ConfigException("node.municipalities", "'" + code + "' is not a valid municipality code ("
            + e.getMessage() + ")");
      }
    }
    return valid;
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("*");
  }

  /** An https origin (scheme, host, optional port, no path beyond "/"): the web listener's public address. */
  private static URI originUri(String key, String value) {
    URI uri = httpsUri(key, value);
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new ConfigException(key, "must be an https:// origin such as https://tsunagu.example.jp, got '" + value
          + "'");
    }
    return uri;
  }

  private static URI httpsUri(String key, String value) {
    try {
      URI uri = new URI(value);
      if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new ConfigException(key, "must be an https:// URL with a host, got '" + value + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "not a URL: '" + value + "'");
    }
  }

  private static Path readableFile(String key, Path baseDir, String value) {
    Path path = baseDir.resolve(value).normalize();
    if (!Files.isReadable(path)) {
      throw new ConfigException(key, "cannot read file " + path);
    }
    return path;
  }

  private static void requireDistinctPorts(NodeConfig.Listener web, NodeConfig.Federation federation,
      NodeConfig.Listener admin) {
    if (web.port() != 0 && web.port() == federation.port()) {
      throw new ConfigException("federation.port", "same port as web.port (" + web.port() + ")");
    }
    if (admin.port() != 0 && (admin.port() == web.port() || admin.port() == federation.port())) {
      throw new ConfigException("admin.port", "same port as another listener (" + admin.port() + ")");
    }
  }
}
