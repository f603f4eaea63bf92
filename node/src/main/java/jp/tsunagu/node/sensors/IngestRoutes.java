package jp.tsunagu.node.sensors;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.node.web.RouteSet;

/**
 * The gateway API on the web listener: {@code POST /api/v1/gateway/batches}. Not a browser API: no
 * session and no CSRF token; each batch carries its gateway's signature instead (see
 * {@link GatewayBatch} and the README's wire format). Its body limit is the sensors' own
 * ({@code sensors.maxBatchBytes}), ahead of the listener's general body handler.
 */
final class IngestRoutes implements RouteSet {

  static final String PATH = "/gateway/batches";

  private final SensorIngest ingest;
  private final long maxBatchBytes;

  IngestRoutes(SensorIngest ingest, long maxBatchBytes) {
    this.ingest = ingest;
    this.maxBatchBytes = maxBatchBytes;
  }

  @Override
  public void mountFilters(Router root) {
    // Before the body handlers (order -1): a person's upload counts from its first byte.
    root.route().order(-2).handler(ingest.people()::track);
    root.post(GatewayBatch.PATH).order(-1).handler(BodyHandler.create(false).setBodyLimit(maxBatchBytes));
  }

  @Override
  public void mountApi(Router api) {
    api.post(PATH).handler(this::batch);
  }

  /**
   * A batch of thousands of readings is a few hundred kilobytes of JSON: it is read (by
   * {@link BatchReader}, the general JSON rules in one streaming pass) and checked on the ingest's
   * worker, not on the event loop, so that the listener's other requests are not held up behind it.
   */
  private void batch(RoutingContext ctx) {
    byte[] raw = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String signature = ctx.request().getHeader(GatewayBatch.SIGNATURE_HEADER);
    ingest.accept(ctx.vertx(), raw, signature).onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
