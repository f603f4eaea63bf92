package jp.tsunagu.node.config;

import java.util.Locale;

/**
 * One known configuration key: its dotted path in the file and its kind. The environment variable
 * that overrides it is derived from the path ({@code web.port} → {@code TSUNAGU_WEB_PORT},
 * {@code node.displayName} → {@code TSUNAGU_NODE_DISPLAY_NAME}).
 */
record ConfigKey(String path, Kind kind, String defaultValue) {

  enum Kind { TEXT, INTEGER, TEXT_LIST }

  static ConfigKey required(String path, Kind kind) {
    return new ConfigKey(path, kind, null);
  }

  static ConfigKey optional(String path, Kind kind, String defaultValue) {
    return new ConfigKey(path, kind, defaultValue);
  }

  String environmentVariable() {
    String snake = path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_');
    return "TSUNAGU_" + snake.toUpperCase(Locale.ROOT);
  }
}
