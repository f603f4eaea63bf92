package jp.tsunagu.node.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that need the machine, done before anything is created so that a bad configuration
 * fails with one clear line instead of a half-started node.
 */
public final class StartupChecks {

  private StartupChecks() {}

  /** Fails when the data directory cannot be created or written. */
  public static void requireWritableDataDir(NodeConfig config) {
    Path dir = config.dataDir();
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new ConfigException("dataDir", "data directory " + dir + " is not writable");
    }
  }

  /** Fails when a configured port is already taken on its host. Port 0 means "any free port". */
  public static void requireFreePorts(NodeConfig config) {
    requireFree("web.port", config.web().host(), config.web().port());
    requireFree("federation.port", config.federation().host(), config.federation().port());
    requireFree("admin.port", config.admin().host(), config.admin().port());
  }

  private static void requireFree(String key, String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new ConfigException(key, "port " + port + " on " + host + " is already in use");
    }
  }
}
