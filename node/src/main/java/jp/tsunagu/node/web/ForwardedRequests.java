package jp.tsunagu.node.web;

import io.vertx.ext.web.RoutingContext;
import java.security.cert.X509Certificate;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;

/**
 * What the web layer knows of a request a follower instance forwarded to its node's leader: the
 * device certificate the browser presented to the follower (the leader's own connection carries
 * none), and the way back to the leader for a read that turned out to need a write. Both are put
 * on the request only by the cluster's {@link FrontDoor}, which accepts them only from its own
 * instance; a client can never set them.
 */
public final class ForwardedRequests {

  private static final String CERTIFICATE = "tsunagu.forwarded.certificate";
  private static final String TO_LEADER = "tsunagu.forwarded.toLeader";

  private ForwardedRequests() {}

  public static void certificate(RoutingContext ctx, X509Certificate certificate) {
    ctx.put(CERTIFICATE, certificate);
  }

  /** The certificate the client presented to the instance that forwarded this request, if it did. */
  public static Optional<X509Certificate> certificate(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(CERTIFICATE));
  }

  /**
   * Registers how to send this request to the leader should it fail with {@code cluster.not_leader}
   * (a read on a follower that writes more than the audit records and session touches, which reach
   * the leader as data).
   */
  public static void toLeaderOnRefusal(RoutingContext ctx, Runnable forward) {
    ctx.put(TO_LEADER, forward);
  }

  /** Sends the request to the leader instead of answering its failure; false when that cannot be done. */
  static boolean forwardedInstead(RoutingContext ctx) {
    Runnable forward = ctx.get(TO_LEADER);
    if (forward == null || !refusedAsNotLeader(ctx.failure()) || ctx.response().headWritten()) {
      return false;
    }
    ctx.remove(TO_LEADER);
    forward.run();
    return true;
  }

  /** Also when the refusal came wrapped (a write that failed beside others in one transaction). */
  private static boolean refusedAsNotLeader(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof CodedException coded && "cluster.not_leader".equals(coded.code())) {
        return true;
      }
    }
    return false;
  }
}
