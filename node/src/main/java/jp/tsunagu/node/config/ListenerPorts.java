package jp.tsunagu.node.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeIdentity;

/**
 * Chooses the ports the web and federation listeners take before anything binds, and keeps the
 * federation listener where the node's identity says it is. Partners reach a node at the federation
 * endpoint its identity card published (and their agreements name); a node that listened elsewhere
 * would be cut off from them without a word. So: port 0 ("any free port") on a node whose identity
 * already publishes an endpoint means that endpoint's port, and a start that would listen somewhere
 * else, or on a port something else holds, is refused with one line naming both.
 *
 * <p>These two ports are chosen before their listeners bind because addresses are built from them
 * long before: a new identity's federation endpoint (made with the keys, which a clustered instance
 * needs to join its cluster before any listener exists), and the web address in links, passkey
 * origins and the hosts the web listener serves, which the features take as they are built. A port
 * chosen so can be taken by another program before the listener binds it; the start then chooses
 * again ({@code TsunaguNode}). The admin listener has no such address: it binds its port 0 itself
 * and the node reads back the port it got.
 */
public final class ListenerPorts {

  private ListenerPorts() {}

  /** The configuration with the web and federation listeners' port 0 replaced by the port each will take. */
  public static NodeConfig resolve(NodeConfig config) {
    Optional<URI> published = publishedEndpoint(config);
    if (config.federation().port() != 0 || config.federation().endpointConfigured()) {
      // The endpoint is known before any port is chosen: a mismatch is the problem to report.
      published.ifPresent(endpoint -> requireSameEndpoint(config, endpoint));
    }
    int federation = federationPort(config, published);
    Set<Integer> taken = new HashSet<>(Set.of(federation));
    int web = freePort("web.port", config.web().host(), config.web().port(), taken);
    NodeConfig resolved = config.withPorts(web, federation, config.admin().port());
    published.ifPresent(endpoint -> requireSameEndpoint(resolved, endpoint));
    return resolved;
  }

  private static int federationPort(NodeConfig config, Optional<URI> published) {
    NodeConfig.Federation federation = config.federation();
    if (federation.port() != 0) {
      return federation.port();
    }
    Optional<URI> fixed = federation.endpointConfigured() ? Optional.of(federation.endpoint()) : published;
    if (fixed.isPresent() && portOf(fixed.get()) > 0) {
      int port = portOf(fixed.get());
      if (!isFree(federation.host(), port)) {
        throw new ConfigException("federation.port", "port " + port + " of the federation endpoint " + fixed.get()
            + " (which partners' agreements name) is in use on " + federation.host()
            + "; the node does not listen anywhere else: free the port and start again");
      }
      return port;
    }
    return freePort("federation.port", federation.host(), 0, Set.of());
  }

  private static void requireSameEndpoint(NodeConfig config, URI published) {
    URI endpoint = config.federation().endpoint();
    if (!sameEndpoint(endpoint, published)) {
      throw new ConfigException("federation.endpoint", "this configuration makes the federation endpoint " + endpoint
          + " but the node's identity (" + config.identityDir().resolve("node.json") + ") publishes " + published
          + ", the endpoint partners' agreements name; configure federation.port/federation.endpoint to match it"
          + " (moving the endpoint takes a new identity card and a new agreement version)");
    }
  }

  /**
   * Port 0 means "any free port". Several web verticle instances must share one port, so a free one is
   * chosen here, once, before they bind. It must not be the port of another of this node's listeners
   * that has not bound yet: Vert.x lets two servers of one instance share a port and would then hand
   * web requests to the federation listener, or the reverse.
   */
  private static int freePort(String key, String host, int port, Set<Integer> taken) {
    if (port != 0) {
      return port;
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(host, 0));
        if (!taken.contains(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new ConfigException(key, "no free port on " + host);
      }
    }
    throw new ConfigException(key, "no free port on " + host);
  }

  private static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<URI> publishedEndpoint(NodeConfig config) {
    if (!NodeIdentity.exists(config.identityDir())) {
      return Optional.empty();
    }
    try {
      return Optional.of(NodeIdentity.load(config.identityDir()).profile().federationEndpoint());
    } catch (ProtocolException e) {
      return Optional.empty(); // reported with its own code when the keys are loaded
    }
  }

  static int portOf(URI endpoint) {
    if (endpoint.getPort() >= 0) {
      return endpoint.getPort();
    }
    return "http".equals(endpoint.getScheme()) ? 80 : 443;
  }

  static boolean sameEndpoint(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT))
        && portOf(a) == portOf(b)
        && path(a).equals(path(b));
  }

  private static String path(URI uri) {
    return uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
  }
}
