package jp.tsunagu.node.disaster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * The register's versions: an uploaded file is checked row by row and kept as a pending import
 * that changes nothing; staff see what it adds, removes and changes against the current version and
 * confirm it, and it becomes the next version (earlier versions stay readable). Confirming proposes
 * matches with the node's patients (same ふりがな and birth date; whether the address agrees is shown),
 * which staff confirm or reject one by one: nothing is merged by itself.
 */
final class RegisterImports {

  private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

  private final NodeServices services;
  private final AuditLog audit;
  private final Districts districts;
  private final Placement placement;
  private final BackgroundPlacement background;
  private final PatientAccess patients;

  /**
   * @param placement places an upload's people from the places the node already knows
   * @param background asks the address search about the others after the upload
   */
  RegisterImports(NodeServices services, AuditLog audit, Districts districts, Placement placement,
      PatientAccess patients, BackgroundPlacement background) {
    this.services = services;
    this.audit = audit;
    this.districts = districts;
    this.placement = placement;
    this.background = background;
    this.patients = patients;
  }

  /**
   * Checks, places (from known places) and keeps a file as a pending import; a refused file is only
   * audited. The file is read and checked off the event loop, on the caller's context as a blocking
   * task: 50,000 rows take seconds, and meanwhile every request of the connections that event loop
   * serves (an ambulance crew's among them) waited. What follows goes on on the caller's context, so
   * the request's Idempotency-Key still joins the write.
   */
  Future<JsonObject> upload(String staffId, byte[] content) {
    LocalDate today = LocalDate.now(services.clock().withZone(JAPAN));
    return Vertx.currentContext().executeBlocking(() -> new RegisterCsv(districts, today).read(content), false)
        .recover(e -> e instanceof CodedException refused ? refusedUpload(staffId, refused) : Future.failedFuture(e))
        .compose(people -> keep(staffId, people));
  }

  private Future<List<RegisterPerson>> refusedUpload(String staffId, CodedException refused) {
    JsonObject detail = new JsonObject().put("code", refused.code())
        .put("rows", refused.details().getJsonArray("rows", new JsonArray()).size());
    return audit.record(AuditEvent.refused(staffId, "disaster.register.uploaded", "disaster:register", detail))
        .transform(ignored -> Future.failedFuture(refused));
  }

  private Future<JsonObject> keep(String staffId, List<RegisterPerson> people) {
    String id = DisasterIds.next();
    return placement.place(people).compose(placed -> services.database().write(c -> {
      Integer base = RegisterSql.current(c).map(RegisterSql.Import::version).orElse(null);
      RegisterSql.discardPending(c);
      RegisterSql.insertImport(c, id, base, placed.size(), staffId, now());
      RegisterSql.insertPeople(c, id, placed);
      audit.append(c, AuditEvent.success(staffId, "disaster.register.uploaded", "disaster:register-import:" + id,
          new JsonObject().put("rows", placed.size()).put("baseVersion", base)));
      return preview(c, id);
    })).onSuccess(kept -> background.wake());
  }

  /** An import with what it adds, removes and changes against the version it was made on. */
  Future<JsonObject> show(String staffId, String id) {
    return services.database().read(c -> preview(c, id))
        .compose(found -> audit.record(AuditEvent.success(staffId, "disaster.register.import_read",
            "disaster:register-import:" + id, new JsonObject())).map(found));
  }

  Future<JsonArray> history() {
    return services.database().read(c -> new JsonArray(RegisterSql.all(c).stream()
        .map(RegisterSql.Import::toJson).toList()));
  }

  /** Confirms a pending import as the next version and proposes patient matches, in one transaction. */
  Future<JsonObject> confirm(String staffId, String id) {
    return patients.registeredForStaff().compose(registered -> services.database().write(c -> {
      RegisterSql.Import pending = RegisterSql.byId(c, id).orElseThrow(RegisterImports::notFound);
      if (!"pending".equals(pending.status())) {
        throw CodedException.conflict("disaster.register_not_pending", "この取り込みは確定できません（確定済みか、新しい取り込みに置き換えられました）。");
      }
      Integer current = RegisterSql.current(c).map(RegisterSql.Import::version).orElse(null);
      if (!java.util.Objects.equals(current, pending.baseVersion())) {
        throw CodedException.conflict("disaster.register_stale_import", "台帳がこの取り込みの後に更新されました。もう一度取り込んでください。");
      }
      int version = current == null ? 1 : current + 1;
      String now = now();
      RegisterSql.confirm(c, id, version, staffId, now);
      int proposed = propose(c, RegisterSql.people(c, id), registered, now);
      audit.append(c, AuditEvent.success(staffId, "disaster.register.confirmed", "disaster:register-import:" + id,
          new JsonObject().put("version", version).put("rows", pending.rows()).put("matchesProposed", proposed)));
      return new JsonObject().put("id", id).put("version", version).put("matchesProposed", proposed);
    }));
  }

  private static int propose(Connection c, List<RegisterPerson> people, List<PatientAccess.Registered> registered,
      String now) throws SQLException {
    Map<String, RegisterPerson> byKey = Placement.byKey(people);
    int proposed = 0;
    for (PatientAccess.Registered patient : registered) {
      Optional<String> kana = kanaOf(patient.kana());
      RegisterPerson person = kana.map(k -> byKey.get(k + "/" + patient.birthDate())).orElse(null);
      if (person != null && RegisterSql.propose(c, DisasterIds.next(), person.key(), patient.id(),
          sameAddress(person.address(), patient.address()), now)) {
        proposed++;
      }
    }
    return proposed;
  }

  private static Optional<String> kanaOf(String kana) {
    try {
      return Optional.of(RegisterCsv.kana(kana));
    } catch (CodedException notKana) {
      return Optional.empty();
    }
  }

  /**
   * Whether two addresses name the same home as people write them: spaces, full-width digits and the
   * many dashes aside, and with or without the prefecture and municipality in front.
   */
  static boolean sameAddress(String a, String b) {
    String x = normalise(a);
    String y = normalise(b);
    return !x.isEmpty() && !y.isEmpty() && (x.endsWith(y) || y.endsWith(x));
  }

  private static String normalise(String address) {
    StringBuilder out = new StringBuilder();
    for (char ch : address.toCharArray()) {
      if (Character.isWhitespace(ch) || ch == '　') {
        continue;
      }
      if (ch >= '０' && ch <= '９') {
        out.append((char) (ch - '０' + '0'));
      } else if ("－ー−‐—―".indexOf(ch) >= 0) {
        out.append('-');
      } else {
        out.append(ch);
      }
    }
    return out.toString().replaceAll("(丁目|番地?|号)", "-").replaceAll("-+$", "");
  }

  private static JsonObject preview(Connection c, String id) throws SQLException {
    RegisterSql.Import found = RegisterSql.byId(c, id).orElseThrow(RegisterImports::notFound);
    List<RegisterPerson> now = RegisterSql.people(c, id);
    Optional<RegisterSql.Import> base = found.baseVersion() == null ? Optional.empty()
        : RegisterSql.byVersion(c, found.baseVersion());
    List<RegisterPerson> before = base.isPresent() ? RegisterSql.people(c, base.get().id()) : List.of();
    Map<String, RegisterPerson> old = Placement.byKey(before);
    JsonArray added = new JsonArray();
    JsonArray changed = new JsonArray();
    for (RegisterPerson person : now) {
      RegisterPerson was = old.remove(person.key());
      if (was == null) {
        added.add(person.summary());
      } else {
        List<String> fields = person.changedFrom(was);
        if (!fields.isEmpty()) {
          changed.add(person.summary().put("fields", new JsonArray(fields)));
        }
      }
    }
    JsonArray removed = new JsonArray(new ArrayList<>(old.values().stream().map(RegisterPerson::summary).toList()));
    long approximate = now.stream().filter(RegisterPerson::approximate).count();
    return found.toJson().put("added", added).put("removed", removed).put("changed", changed)
        .put("unchanged", now.size() - added.size() - changed.size()).put("approximate", approximate);
  }

  private String now() {
    return Instant.now(services.clock()).toString();
  }

  static CodedException notFound() {
    return CodedException.notFound("disaster.import_not_found", "指定の取り込みは見つかりません。");
  }
}
