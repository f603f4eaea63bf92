package jp.tsunagu.node.config;

/**
 * A configuration problem found at start-up. The message is one line that names the key and the
 * problem, because an operator reads it in a terminal or a service log.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String problem) {
    this(key, problem, null);
  }

  /** With the failure behind the problem, for the log and for callers that can act on it. */
  public ConfigException(String key, String problem, Throwable cause) {
    super(key + ": " + problem, cause);
    this.key = key;
  }

  /** The dotted configuration key at fault, e.g. {@code web.port}. */
  public String key() {
    return key;
  }
}
