package jp.tsunagu.node.config;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.TCPSSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which implementation encrypts the node's TLS records ({@code tls.engine}): OpenSSL (BoringSSL, bundled
 * with the node for linux-x86_64) costs several times less CPU per record than the JDK's engine, which
 * under load was a third of the node's CPU. Only the engine changes: protocols (TLS 1.3 only), key
 * material, trust managers (the agreement pins, the user CA) and client-certificate checks are the
 * same objects either way.
 */
public enum TlsEngine {
  OPENSSL, JDK;

  private static final Logger LOG = LoggerFactory.getLogger(TlsEngine.class);

  /** The engine when the configuration names none. */
  public static final TlsEngine DEFAULT = OPENSSL;

  /** {@code options} with this engine, or the JDK's when the OpenSSL library cannot load here. */
  public <T extends TCPSSLOptions> T applyTo(T options) {
    options.setSslEngineOptions(this == OPENSSL && Native.LOADED ? new OpenSSLEngineOptions()
        : new JdkSSLEngineOptions());
    return options;
  }

  /** The engine really used: {@code JDK} when OpenSSL was asked for but its library did not load. */
  public TlsEngine effective() {
    return this == OPENSSL && !Native.LOADED ? JDK : this;
  }

  /** The name in the configuration. */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the library loads is decided once per process, and said once (not for every listener). */
  private static final class Native {
    static final boolean LOADED = load();

    private static boolean load() {
      boolean loaded = OpenSSLEngineOptions.isAvailable();
      if (!loaded) {
        LOG.warn("tls.engine openssl: the OpenSSL library did not load on this machine ({}); using the JDK engine",
            io.netty.handler.ssl.OpenSsl.unavailabilityCause());
      }
      return loaded;
    }
  }
}
