package jp.tsunagu.node.web.openapi;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One listener's OpenAPI document in a running node: its JSON as served, the body checks built from
 * it by {@code vertx-openapi}'s contract loader, and the listener's router as mounted (which the route
 * coverage test compares with the document). Read and loaded once per node: the instances live in
 * the node's own Vert.x instance ({@link #of}), not in static fields, so two nodes in one JVM (as in
 * tests) never share one.
 */
final class ApiDocument implements Shareable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiDocument.class);

  private final ApiListener listener;
  private final JsonObject document;
  private final String json;
  private final Future<BodyChecks> checks;
  private volatile BodyChecks loaded;
  private volatile Router router;

  private ApiDocument(Vertx vertx, ApiListener listener) {
    this.listener = listener;
    this.document = read(listener);
    this.json = document.encode();
    this.checks = OpenAPIContract.from(vertx, document.copy()).map(BodyChecks::of)
        .onSuccess(built -> loaded = built)
        .onFailure(e -> LOG.error("the OpenAPI document {} does not load", listener.resource(), e));
  }

  /** The node's document for a listener, read and loaded at the first call. */
  static ApiDocument of(Vertx vertx, ApiListener listener) {
    LocalMap<String, ApiDocument> documents = vertx.sharedData().getLocalMap(ApiDocument.class.getName());
    ApiDocument document = documents.get(listener.name());
    if (document == null) {
      ApiDocument created = new ApiDocument(vertx, listener);
      ApiDocument earlier = documents.putIfAbsent(listener.name(), created);
      document = earlier == null ? created : earlier;
    }
    return document;
  }

  ApiListener listener() {
    return listener;
  }

  /** The document as a JSON object (a copy). */
  JsonObject document() {
    return document.copy();
  }

  /** Answers a request for the document. */
  void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(json);
  }

  /**
   * Calls {@code then} with the body checks on the request's own context, at once when they are
   * loaded (the usual case), else when loading finishes; a document that does not load fails the request.
   */
  void withChecks(RoutingContext ctx, Consumer<BodyChecks> then) {
    BodyChecks ready = loaded;
    if (ready != null) {
      then.accept(ready);
      return;
    }
    Context here = ctx.vertx().getOrCreateContext();
    checks.onComplete(done -> here.runOnContext(v -> {
      if (done.succeeded()) {
        then.accept(done.result());
      } else {
        ctx.fail(done.cause());
      }
    }));
  }

  /** Notes the listener's root router (every instance of a listener mounts the same routes). */
  void record(Router root) {
    this.router = root;
  }

  /** The listener's root router, once a listener has mounted it. */
  Router router() {
    return router;
  }

  static JsonObject read(ApiListener listener) {
    try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(listener.resource())) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + listener.resource());
      }
      Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return (JsonObject) json(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** YAML as JSON: mappings with their keys as text (a response code {@code 200} stays "200"). */
  private static Object json(Object yaml) {
    if (yaml instanceof Map<?, ?> map) {
      JsonObject object = new JsonObject();
      map.forEach((key, value) -> object.put(String.valueOf(key), json(value)));
      return object;
    }
    if (yaml instanceof List<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(item -> array.add(json(item)));
      return array;
    }
    return yaml;
  }
}
