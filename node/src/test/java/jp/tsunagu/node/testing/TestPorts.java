package jp.tsunagu.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports for tests that start listeners of their own choosing on loopback. */
public final class TestPorts {

  private TestPorts() {}

  /**
   * A loopback port free right now. Another process may still take it before the caller binds it;
   * tests that start several listeners at once pick all their ports first.
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
