package jp.tsunagu.node.disaster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * 災害モード: municipal staff declare a disaster (its kind, the 地区 it covers or the whole area, when
 * it started) and end it. At most one is declared at a time; both steps are audited. While one lasts
 * every screen of the node shows it, and the register is shown to the professionals of the area
 * without the consent it needs before (see {@link Visibility}).
 */
final class Declarations {

  static final List<String> KINDS = List.of("地震", "風水害", "土砂災害", "火山", "雪害", "大規模火災", "その他");
  private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

  private final NodeServices services;
  private final AuditLog audit;
  private final Districts districts;

  Declarations(NodeServices services, AuditLog audit, Districts districts) {
    this.services = services;
    this.audit = audit;
    this.districts = districts;
  }

  Future<Optional<DeclarationSql.Declaration>> current() {
    return services.database().read(DeclarationSql::open);
  }

  Future<JsonObject> declare(String staffId, JsonObject body) {
    String kind = body.getValue("kind") instanceof String k ? k.strip() : "";
    if (!KINDS.contains(kind)) {
      return refuse(staffId, "disaster.declared", CodedException.invalid("disaster.invalid_kind",
          "災害の種別を " + String.join("・", KINDS) + " から選んでください。"));
    }
    List<String> areas = new ArrayList<>();
    Object given = body.getValue("districts");
    if (given != null && !(given instanceof JsonArray)) {
      return refuse(staffId, "disaster.declared", CodedException.invalid("disaster.invalid_districts",
          "対象地区は地区名の一覧で指定してください（全域は空の一覧）。"));
    }
    for (Object name : given == null ? new JsonArray() : (JsonArray) given) {
      if (!(name instanceof String district) || districts.named(district).isEmpty()) {
        return refuse(staffId, "disaster.declared", CodedException.invalid("disaster.unknown_district",
            "対象地区「" + name + "」はこのネットワークの地区にありません。"));
      }
      if (!areas.contains(district)) {
        areas.add(district);
      }
    }
    Instant started;
    try {
      started = start(body.getValue("startedAt"));
    } catch (CodedException invalid) {
      return refuse(staffId, "disaster.declared", invalid);
    }
    String now = Instant.now(services.clock()).toString();
    DeclarationSql.Declaration declaration = new DeclarationSql.Declaration(DisasterIds.next(), kind,
        List.copyOf(areas), started.toString(), staffId, now, null);
    return services.database().write(c -> {
      if (DeclarationSql.open(c).isPresent()) {
        throw CodedException.conflict("disaster.already_declared", "すでに災害モードです。終了してから宣言してください。");
      }
      DeclarationSql.insert(c, declaration);
      audit.append(c, AuditEvent.success(staffId, "disaster.declared", "disaster:declaration:" + declaration.id(),
          declaration.toJson()));
      return declaration.toJson();
    }).recover(error -> error instanceof CodedException coded ? refuse(staffId, "disaster.declared", coded)
        : Future.failedFuture(error));
  }

  Future<JsonObject> end(String staffId) {
    String now = Instant.now(services.clock()).toString();
    return services.database().write(c -> {
      DeclarationSql.Declaration open = DeclarationSql.open(c).orElseThrow(() -> CodedException.conflict(
          "disaster.not_declared", "災害モードではありません。"));
      DeclarationSql.end(c, open.id(), staffId, now);
      audit.append(c, AuditEvent.success(staffId, "disaster.ended", "disaster:declaration:" + open.id(),
          new JsonObject().put("endedAt", now)));
      return open.toJson().put("endedAt", now);
    }).recover(error -> error instanceof CodedException coded ? refuse(staffId, "disaster.ended", coded)
        : Future.failedFuture(error));
  }

  /** The start as given (an instant, or a local date-time in Japan as a datetime-local input sends it), or now. */
  private Instant start(Object given) {
    if (given == null || given instanceof String s && s.isBlank()) {
      return Instant.now(services.clock());
    }
    if (!(given instanceof String text)) {
      throw invalidStart();
    }
    try {
      return text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$") ? OffsetDateTime.parse(text).toInstant()
          : LocalDateTime.parse(text).atZone(JAPAN).toInstant();
    } catch (DateTimeException e) {
      throw invalidStart();
    }
  }

  private static CodedException invalidStart() {
    return CodedException.invalid("disaster.invalid_start", "発生日時を正しく入力してください（例: 2026-01-15T06:30）。");
  }

  private <T> Future<T> refuse(String staffId, String action, CodedException refusal) {
    return audit.record(AuditEvent.refused(staffId, action, "disaster:declaration",
        new JsonObject().put("code", refusal.code()))).transform(ignored -> Future.failedFuture(refusal));
  }
}
