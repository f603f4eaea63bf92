package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.VerificationKey;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * Gateway credentials: the node registers the public half of a key the provider generated (the
 * private half never leaves the provider), lists them and revokes them. Used by 行政 on the web
 * listener and by the operator through the admin API; every issue and revocation is audited.
 */
final class Gateways {

  static final int DEFAULT_RATE_PER_MINUTE = 60;
  static final int MAX_RATE_PER_MINUTE = 600;
  private static final int MAX_TEXT = 100;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final NodeServices services;
  private final AuditLog audit;

  Gateways(NodeServices services, AuditLog audit) {
    this.services = services;
    this.audit = audit;
  }

  /** Who acts: the user id kept on the gateway's row and the actor written to the audit log. */
  record Actor(String userId, String auditActor) {}

  /** A checked request to issue: the public JWK as stored (its kid is its thumbprint). */
  private record Request(String name, String provider, VerificationKey key, int ratePerMinute) {}

  Future<JsonObject> issue(Actor actor, JsonObject body) {
    Request request;
    try {
      request = parse(body);
    } catch (CodedException e) {
      return Future.failedFuture(e);
    }
    String id = "gw-" + HexFormat.of().formatHex(randomBytes());
    String at = Instant.now(services.clock()).toString();
    String jwk = new JsonObject(request.key().toJson()).encode();
    GatewaySql.Gateway gateway = new GatewaySql.Gateway(id, request.name(), request.provider(), jwk, "active",
        request.ratePerMinute(), actor.userId(), at, null, null, null, 0);
    return services.database().write(c -> {
      GatewaySql.insert(c, gateway);
      audit.append(c, AuditEvent.success(actor.auditActor(), "sensors.gateway.issued", "sensor_gateway:" + id,
          new JsonObject().put("name", request.name()).put("provider", request.provider())
              .put("keyFingerprint", request.key().fingerprint()).put("ratePerMinute", request.ratePerMinute())));
      return gateway.toJson().put("keyFingerprint", request.key().fingerprint());
    });
  }

  Future<JsonObject> list() {
    return services.database().read(c -> {
      JsonArray list = new JsonArray();
      GatewaySql.all(c).forEach(g -> list.add(g.toJson()));
      return new JsonObject().put("gateways", list);
    });
  }

  /** Revokes at once: a batch that commits after this is refused, one in flight is checked again in its write. */
  Future<JsonObject> revoke(Actor actor, String gatewayId) {
    String at = Instant.now(services.clock()).toString();
    return services.database().write(c -> {
      GatewaySql.Gateway gateway = GatewaySql.byId(c, gatewayId).orElseThrow(Gateways::notFound);
      if (!GatewaySql.revoke(c, gatewayId, actor.userId(), at)) {
        throw CodedException.conflict("sensors.gateway_already_revoked", "このゲートウェイはすでに失効しています。");
      }
      audit.append(c, AuditEvent.success(actor.auditActor(), "sensors.gateway.revoked", "sensor_gateway:" + gatewayId,
          new JsonObject().put("name", gateway.name())));
      return GatewaySql.byId(c, gatewayId).orElseThrow().toJson();
    });
  }

  /** The devices registered to a gateway (the simulator plays them). */
  Future<JsonObject> devices(String gatewayId) {
    return services.database().read(c -> {
      GatewaySql.Gateway gateway = GatewaySql.byId(c, gatewayId).orElseThrow(Gateways::notFound);
      JsonArray list = new JsonArray();
      GatewaySql.devices(c, gatewayId).forEach(d -> list.add(d.toJson()));
      return new JsonObject().put("gateway", gateway.toJson()).put("devices", list);
    });
  }

  /** The account an operator names on the admin API, checked. */
  Future<Actor> operator(Object loginId) {
    if (!(loginId instanceof String login) || login.isBlank()) {
      return Future.failedFuture(CodedException.invalid("sensors.operator_required",
          "操作するアカウント（ノード運用者または行政）のログインIDを指定してください。"));
    }
    return services.database().read(c -> GatewaySql.operatorAccount(c, login.strip())).map(found -> found
        .map(userId -> new Actor(userId, "operator"))
        .orElseThrow(() -> CodedException.invalid("sensors.operator_unknown",
            "有効なノード運用者または行政のアカウントではありません。")));
  }

  static CodedException notFound() {
    return CodedException.notFound("sensors.gateway_not_found", "ゲートウェイが見つかりません。");
  }

  private static Request parse(JsonObject body) {
    String name = text(body, "name", "名称");
    String provider = text(body, "provider", "事業者");
    Object key = body.getValue("publicKey");
    if (!(key instanceof JsonObject jwk)) {
      throw CodedException.invalid("sensors.public_key_required",
          "ゲートウェイの公開鍵（Ed25519 の JWK）を指定してください。");
    }
    if (jwk.containsKey("d")) {
      // The private half is the provider's alone; one that travelled is no longer secret.
      throw CodedException.invalid("sensors.private_key_sent",
          "秘密鍵が含まれています。秘密鍵は送らず、公開鍵だけを登録してください。この鍵は作り直してください。");
    }
    VerificationKey verificationKey;
    try {
      verificationKey = VerificationKey.fromJwk((Map<String, Object>) jwk.getMap());
    } catch (ProtocolException e) {
      throw CodedException.invalid("sensors.public_key_invalid", "Ed25519 の公開鍵（JWK）として読めません。");
    }
    Object rate = body.getValue("ratePerMinute");
    int perMinute = DEFAULT_RATE_PER_MINUTE;
    if (rate != null) {
      if (!(rate instanceof Integer r) || r < 1 || r > MAX_RATE_PER_MINUTE) {
        throw CodedException.invalid("sensors.rate_invalid",
            "1分あたりの上限は 1〜" + MAX_RATE_PER_MINUTE + " の整数で指定してください。");
      }
      perMinute = r;
    }
    return new Request(name, provider, verificationKey, perMinute);
  }

  private static String text(JsonObject body, String field, String label) {
    String value = body.getValue(field) instanceof String s ? s.strip() : "";
    if (value.isEmpty() || value.length() > MAX_TEXT) {
      throw CodedException.invalid("sensors.gateway_" + field + "_invalid",
          label + "を" + MAX_TEXT + "文字以内で入力してください。");
    }
    return value;
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
