package jp.tsunagu.node.web.openapi;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.BodySchema;

/**
 * The JSON request bodies of a listener's routes checked against the schemas of its OpenAPI document,
 * as {@code vertx-openapi}'s request validator checks them (the contract's schema repository), but at
 * the moment a route reads its body: after authentication and the route's guards, so the order of
 * answers stays what it was.
 *
 * <p>A body that is not the stated structure gets the answer the node gave before for a body it
 * could not read: 400 {@code validation.malformed}, naming the field by its schema's {@code title}
 * (the label the route's own check names), or the refusal the operation states in
 * {@code x-invalid-body} ({@code code} and {@code message} of a 400).
 */
final class BodyChecks implements BodySchema {

  /** A route's schema, its plainest form when it has one ({@link PlainShape}), and its stated refusal. */
  private record Check(JsonSchema schema, Optional<PlainShape> plain, JsonObject refusal) {}

  private final SchemaRepository schemas;
  private final Map<String, Check> byRoute;
  // A validator compiles its schema when made (a tenth of a busy route's time was spent making one
  // per request); it keeps no state between validations, so one per route is made once and kept.
  private final Map<String, Validator> validators = new ConcurrentHashMap<>();

  private BodyChecks(SchemaRepository schemas, Map<String, Check> byRoute) {
    this.schemas = schemas;
    this.byRoute = Map.copyOf(byRoute);
  }

  static BodyChecks of(OpenAPIContract contract) {
    Map<String, Check> byRoute = new HashMap<>();
    for (Operation operation : contract.operations()) {
      MediaType json = operation.getRequestBody() == null ? null
          : operation.getRequestBody().getContent().get(MediaType.APPLICATION_JSON);
      if (json != null && json.getSchema() != null) {
        byRoute.put(key(operation.getHttpMethod().name(), RoutePaths.mounted(operation.getAbsoluteOpenAPIPath())),
            new Check(json.getSchema(), PlainShape.of(json.getSchema()),
                operation.getOpenAPIModel().getJsonObject("x-invalid-body")));
      }
    }
    return new BodyChecks(contract.getSchemaRepository(), byRoute);
  }

  /** The routes with a JSON body schema, as mounted ({@code POST /api/v1/patients/:boardId/posts}). */
  List<String> routes() {
    return byRoute.keySet().stream().sorted().toList();
  }

  /** The routes whose schema is checked as a {@link PlainShape}, the validator asked only for a refusal. */
  List<String> plainRoutes() {
    return byRoute.entrySet().stream().filter(route -> route.getValue().plain().isPresent()).map(Map.Entry::getKey)
        .sorted().toList();
  }

  /** For tests: whether the plain shape of a route passes a body, and whether the validator does. */
  boolean[] plainAndValidator(String route, JsonObject body) {
    Check check = byRoute.get(route);
    return new boolean[] {check.plain().map(shape -> shape.accepts(body)).orElse(false),
        Boolean.TRUE.equals(schemas.validator(check.schema()).validate(body).getValid())};
  }

  @Override
  public void check(String method, String routePath, JsonObject body) {
    Check check = byRoute.get(key(method, routePath));
    if (check == null || check.plain().map(shape -> shape.accepts(body)).orElse(false)) {
      return;
    }
    OutputUnit result = validators.computeIfAbsent(key(method, routePath), route -> schemas.validator(check.schema()))
        .validate(body);
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw refusal(check, field(result));
    }
  }

  /** The refusal for a body that is not JSON at all, on a route that reads it itself. */
  CodedException unreadable(String method, String routePath) {
    Check check = byRoute.get(key(method, routePath));
    return refusal(check == null ? new Check(null, Optional.empty(), null) : check, null);
  }

  private static CodedException refusal(Check check, String field) {
    JsonObject stated = check.refusal();
    if (stated != null) {
      return CodedException.invalid(stated.getString("code"), stated.getString("message"));
    }
    String title = field == null || check.schema() == null ? null : title(check.schema(), field);
    return CodedException.invalid("validation.malformed",
        title == null ? "送信内容を読み取れません。" : title + "の形式が正しくありません。");
  }

  /** The top-level property the first error is about ({@code recipients} of {@code /recipients/0}). */
  private static String field(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors();
    String location = errors != null && !errors.isEmpty() ? errors.get(0).getInstanceLocation()
        : result.getInstanceLocation();
    if (location == null) {
      return null;
    }
    for (String segment : location.replaceFirst("^#", "").split("/")) {
      if (!segment.isEmpty()) {
        return segment.replace("~1", "/").replace("~0", "~");
      }
    }
    return null;
  }

  private static String title(JsonSchema schema, String field) {
    Object properties = schema.get("properties");
    if (properties instanceof JsonObject map && map.getValue(field) instanceof JsonObject property) {
      return property.getString("title");
    }
    return null;
  }

  private static String key(String method, String path) {
    return method + " " + path;
  }
}
