package jp.tsunagu.node.web;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.ext.healthchecks.Status;

/**
 * A check a feature adds to {@code /health/ready}: a name and a procedure that completes with the
 * check's status (and details) within the timeout. A check that must not take the node out of a
 * load balancer (a partner being unreachable) always completes {@code UP} and says why in its details.
 */
public record ReadinessCheck(String name, long timeoutMillis, Handler<Promise<Status>> procedure) {}
