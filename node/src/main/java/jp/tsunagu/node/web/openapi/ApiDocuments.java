package jp.tsunagu.node.web.openapi;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.BodySchema;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * The OpenAPI documents of a node's listeners ({@code openapi/*.yaml} on the class path), one call
 * per listener where its router is built: the listener serves its document as JSON at
 * {@code <base>/openapi.json} behind the same filters as its other routes, and checks request bodies
 * against it.
 */
public final class ApiDocuments {

  private static final String IDEMPOTENCY_KEY = "#/components/parameters/IdempotencyKey";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private ApiDocuments() {}

  /**
   * The features of the web or admin listener with the document's own: it serves the document
   * ({@code GET /api/v1/openapi.json}, public like the node's other public routes; on the admin
   * listener behind the operator token) and puts the body checks on every API request, which
   * {@link jp.tsunagu.node.web.JsonBodies} runs when a route reads its body.
   */
  public static List<RouteSet> with(Vertx vertx, ApiListener listener, List<RouteSet> features) {
    ApiDocument document = ApiDocument.of(vertx, listener);
    List<RouteSet> all = new ArrayList<>(features);
    all.add(new RouteSet() {
      @Override
      public void mountFilters(Router root) {
        document.record(root);
        root.route(listener.basePath() + "/*")
            .handler(ctx -> document.withChecks(ctx, checks -> {
              ctx.put(BodySchema.KEY, checks);
              ctx.next();
            }));
      }

      @Override
      public void mountApi(Router api) {
        api.get("/openapi.json").handler(document::serve);
      }
    });
    return all;
  }

  /**
   * The federation listener's document, after the per-request peer check and before the routes of
   * the features: served at {@code /federation/v1/openapi.json}, and each JSON body read (as the
   * routes read it) and checked before its route.
   */
  public static void mountFederation(Vertx vertx, Router router) {
    ApiDocument document = ApiDocument.of(vertx, ApiListener.FEDERATION);
    document.record(router);
    router.get(ApiListener.FEDERATION.documentPath()).handler(document::serve);
    for (String route : jsonBodyRoutes(document.document())) {
      String[] methodAndPath = route.split(" ", 2);
      router.route(HttpMethod.valueOf(methodAndPath[0]), methodAndPath[1]).setName(RoutePaths.BODY_CHECK)
          .handler(ctx -> document.withChecks(ctx, checks -> checkRaw(ctx, checks, methodAndPath)));
    }
  }

  private static void checkRaw(RoutingContext ctx, BodyChecks checks, String[] methodAndPath) {
    String text = ctx.body() == null || ctx.body().asString() == null ? "" : ctx.body().asString().strip();
    try {
      checks.check(methodAndPath[0], methodAndPath[1], new JsonObject(text));
    } catch (DecodeException | ClassCastException e) {
      ctx.fail(checks.unreadable(methodAndPath[0], methodAndPath[1]));
      return;
    } catch (CodedException e) {
      ctx.fail(e);
      return;
    }
    ctx.next();
  }

  /** The routes a listener really has under its base path ({@code "GET /api/v1/patients/{boardId}"}). */
  public static Set<String> mounted(Vertx vertx, ApiListener listener) {
    Router router = ApiDocument.of(vertx, listener).router();
    return router == null ? Set.of() : RoutePaths.of(router, listener.basePath());
  }

  /** The routes of a listener that honour {@code Idempotency-Key} (see {@link IdempotencyKeys#guard}). */
  public static Set<String> idempotent(Vertx vertx, ApiListener listener) {
    Router router = ApiDocument.of(vertx, listener).router();
    return router == null ? Set.of() : RoutePaths.of(router, listener.basePath(), IdempotencyKeys::guards);
  }

  /** The routes whose document lists the shared {@code Idempotency-Key} header parameter. */
  public static Set<String> documentedIdempotent(ApiListener listener) {
    Set<String> routes = new TreeSet<>();
    JsonObject paths = ApiDocument.read(listener).getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String key : paths.getJsonObject(path).fieldNames()) {
        JsonObject operation = METHODS.contains(key) ? paths.getJsonObject(path).getJsonObject(key) : null;
        JsonArray parameters = operation == null ? null : operation.getJsonArray("parameters");
        if (parameters != null && parameters.stream().anyMatch(p -> p instanceof JsonObject parameter
            && IDEMPOTENCY_KEY.equals(parameter.getString("$ref")))) {
          routes.add(key.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    return routes;
  }

  /** The routes a listener's document lists, written as {@link #mounted} writes them. */
  public static Set<String> documented(ApiListener listener) {
    Set<String> routes = new TreeSet<>();
    JsonObject paths = ApiDocument.read(listener).getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String key : paths.getJsonObject(path).fieldNames()) {
        if (METHODS.contains(key)) {
          routes.add(key.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    return routes;
  }

  /** Routes whose request body the document states as JSON, as mounted ({@code POST /x/:id}). */
  private static List<String> jsonBodyRoutes(JsonObject document) {
    List<String> routes = new ArrayList<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        JsonObject operation = METHODS.contains(method) ? item.getJsonObject(method) : null;
        JsonObject content = operation == null || operation.getJsonObject("requestBody") == null ? null
            : operation.getJsonObject("requestBody").getJsonObject("content");
        if (content != null && content.containsKey("application/json")) {
          routes.add(method.toUpperCase(Locale.ROOT) + " " + RoutePaths.mounted(path));
        }
      }
    }
    return routes;
  }
}
