package jp.tsunagu.node.federation;

import io.vertx.core.Vertx;

/**
 * The federation client of a service that calls partners now and then: made on first use with the Vert.x of the
 * request (or listener) that asks, since the service is built before any Vert.x runs, and then kept for every call.
 */
public final class LazyFederationClient {

  private final Federation federation;
  private FederationClient client;

  public LazyFederationClient(Federation federation) {
    this.federation = federation;
  }

  public synchronized FederationClient get(Vertx vertx) {
    if (client == null) {
      client = FederationClient.of(vertx, federation);
    }
    return client;
  }

  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
