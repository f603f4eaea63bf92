package jp.tsunagu.node.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a loopback port whose connections a test can cut, and which can refuse new ones
 * for a while: what a browser sees of an instance gone in a failover, or of a proxy restarted, while
 * the node behind it runs on. Bytes pass untouched (TLS ends at the node). Not for load: a thread per
 * direction of each connection.
 */
public final class CuttableForwarder implements AutoCloseable {

  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile int targetPort;
  private volatile boolean refusing;

  /** Listens on {@code port} of 127.0.0.1; forwards once {@link #to} names the target. */
  public CuttableForwarder(int port) throws IOException {
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread acceptor = new Thread(this::accept, "cuttable-forwarder-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Forwards to {@code port} of 127.0.0.1 from now on. */
  public void to(int port) {
    targetPort = port;
  }

  /** Closes every connection there is now; while {@code refuse}, new ones are closed as they come. */
  public void cut(boolean refuse) {
    refusing = refuse;
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  /** Takes connections again. */
  public void restore() {
    refusing = false;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (refusing || targetPort == 0) {
          closeQuietly(client);
          continue;
        }
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(server);
        pipe(client, server);
        pipe(server, client);
      } catch (IOException e) {
        // The listener closed, or the node did not take the connection: the client sees it closed.
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // Cut, or closed by either side: the other side goes too.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "cuttable-forwarder-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    cut(true);
    try {
      listener.close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
