package jp.tsunagu.node.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

/**
 * What a clustered node puts in front of the web listener's routes (a single instance puts nothing):
 * a guard on the raw request, before the router, and handlers mounted first on the router (the
 * forwarding of writes to the leader, read-your-writes).
 */
public interface FrontDoor {

  /** A single instance: nothing in front. */
  FrontDoor NONE = new FrontDoor() {
    @Override
    public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
      return next;
    }

    @Override
    public void mount(Router router) {
      // nothing
    }
  };

  Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next);

  /**
   * Whether the listener must also admit the node's own certificate: a clustered node's leader
   * plays a partner's request that a follower forwarded on its own federation listener as the node
   * itself (what the request may do is still decided by the partner's certificate it carries).
   */
  default boolean playsOnItself() {
    return false;
  }

  void mount(Router router);
}
