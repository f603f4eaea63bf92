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

  void mount(Router router);
}
