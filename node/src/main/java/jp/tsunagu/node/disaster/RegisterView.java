package jp.tsunagu.node.disaster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.feature.NodeServices;

/**
 * The current version of the register as a viewer may see it ({@link Visibility}): per-地区 counts by
 * reason (医療機器 first) with each 地区's centre for the map, the filtered list of people, and the
 * people of one 地区 for the printed list. Every read of people is audited; the counts name nobody.
 */
final class RegisterView {

  /** What a list is narrowed to: a 地区, a reason ({@code medical} for any device), a name or kana. */
  record Filter(String district, String reason, String query) {

    Predicate<RegisterPerson> predicate() {
      return person -> (district.isEmpty() || person.district().equals(district))
          && (reason.isEmpty() || ("medical".equals(reason) ? person.medicalDevice()
              : person.reasons().stream().anyMatch(r -> r.code().equals(reason))))
          && (query.isEmpty() || person.name().replace(" ", "").contains(query.replace(" ", ""))
              || person.kana().contains(query.replace(" ", "")));
    }
  }

  /** The people of a 地区 for the printed list, and who could not see the others. */
  record DistrictList(Districts.District district, List<RegisterPerson> people, Visibility visibility,
      Optional<Integer> version) {}

  private static final Comparator<RegisterPerson> MEDICAL_FIRST = Comparator
      .comparing((RegisterPerson p) -> !p.medicalDevice()).thenComparing(RegisterPerson::kana);

  private final NodeServices services;
  private final AuditLog audit;
  private final Districts districts;
  private final Declarations declarations;
  private volatile Version version;
  /** Counts per key, or their counting under way; the JSON is never changed after it is made. */
  private final Map<SummaryKey, Future<JsonObject>> summaries = new ConcurrentHashMap<>();

  RegisterView(NodeServices services, AuditLog audit, Districts districts, Declarations declarations) {
    this.services = services;
    this.audit = audit;
    this.districts = districts;
    this.declarations = declarations;
  }

  /**
   * The per-地区 counts. They name nobody and change only with the register's version, the open
   * declaration and whether the viewer is staff, so they are counted once per such triple and kept:
   * during a disaster every 行政 and professional screen polls them, and counting a 50,000-person
   * register on each request kept the node's cores busy (p99 in seconds under 50 clients).
   */
  Future<JsonObject> summary(String userId, boolean staff) {
    return declarations.current().compose(declaration -> services.database().read(RegisterSql::current)
        .compose(current -> {
          SummaryKey key = new SummaryKey(current.map(RegisterSql.Import::id).orElse(""),
              declaration.map(DeclarationSql.Declaration::id).orElse(""), staff);
          Future<JsonObject> kept = summaries.get(key);
          if (kept != null) {
            return kept;
          }
          // One count per key, however many screens ask at once: a declaration makes every screen
          // of the node ask in the same second, and each counting for itself took seconds.
          Promise<JsonObject> counting = Promise.promise();
          Future<JsonObject> first = summaries.putIfAbsent(key, counting.future());
          if (first != null) {
            return first;
          }
          // Counts of an earlier version or declaration are never asked for again.
          summaries.keySet().removeIf(other -> !other.sameRegisterAndDeclaration(key));
          services.database().read(c -> counts(new State(current.map(RegisterSql.Import::version),
              current.isPresent() ? people(c, current.get().id()) : List.of(), new Visibility(staff, declaration),
              Map.of()))).onComplete(done -> {
                if (done.failed()) {
                  summaries.remove(key, counting.future());
                }
                counting.handle(done);
              });
          return counting.future();
        }));
  }

  private JsonObject counts(State state) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    districts.all().forEach(d -> counts.put(d.name(), new int[Reason.values().length + 4]));
    int reasons = Reason.values().length;
    for (RegisterPerson person : state.people()) {
      int[] c = counts.get(person.district());
      if (c == null || !state.visibility().sees(person)) {
        continue;
      }
      c[reasons]++;
      c[reasons + 1] += person.medicalDevice() ? 1 : 0;
      c[reasons + 2] += person.consent() ? 1 : 0;
      c[reasons + 3] += person.approximate() ? 1 : 0;
      person.reasons().forEach(r -> c[r.ordinal()]++);
    }
    JsonArray rows = new JsonArray();
    for (Districts.District d : districts.all()) {
      int[] c = counts.get(d.name());
      JsonObject byReason = new JsonObject();
      Reason.ordered().forEach(r -> byReason.put(r.code(), c[r.ordinal()]));
      rows.add(new JsonObject().put("district", d.name()).put("municipalityCode", d.municipalityCode())
          .put("latitude", d.latitude()).put("longitude", d.longitude()).put("total", c[reasons])
          .put("medicalDevice", c[reasons + 1]).put("consenting", c[reasons + 2]).put("approximate", c[reasons + 3])
          .put("reasons", byReason).put("declared", state.visibility().declaration().map(x -> x.covers(d.name()))
              .orElse(false)));
    }
    JsonArray reasonList = new JsonArray();
    Reason.ordered().forEach(r -> reasonList.add(new JsonObject().put("code", r.code()).put("label", r.labelJa())
        .put("medicalDevice", r.medicalDevice())));
    var maps = services.config().map();
    JsonObject map = new JsonObject().put("tileUrl", maps.tileUrl()).put("attribution", maps.attribution())
        .put("attributionUrl", maps.attributionUrl().toString());
    return new JsonObject().put("version", state.version().orElse(null)).put("districts", rows).put("map", map)
        .put("reasons", reasonList).put("consentingOnly", state.visibility().consentingOnly())
        .put("declaration", state.visibility().declaration().map(DeclarationSql.Declaration::toJson).orElse(null));
  }

  Future<JsonObject> list(String userId, boolean staff, Filter filter) {
    return current(staff).compose(state -> {
      List<RegisterPerson> shown = state.people().stream().filter(state.visibility()::sees)
          .filter(filter.predicate()).sorted(MEDICAL_FIRST).toList();
      return audit.record(AuditEvent.success(userId, "disaster.register.listed", "disaster:register",
          new JsonObject().put("district", filter.district()).put("reason", filter.reason())
              .put("people", shown.size()))).map(ignored -> new JsonObject()
          .put("version", state.version().orElse(null)).put("consentingOnly", state.visibility().consentingOnly())
          .put("declared", state.visibility().declaration().isPresent())
          .put("people", new JsonArray(shown.stream().map(p -> {
            SafetySql.Check check = state.safety().get(p.key());
            return p.toJson().put("safety", check == null ? null : SafetyChecks.json(check));
          }).toList())));
    });
  }

  Future<DistrictList> district(String userId, boolean staff, String name) {
    Districts.District district = districts.required(name);
    return current(staff).compose(state -> {
      List<RegisterPerson> shown = state.people().stream().filter(state.visibility()::sees)
          .filter(p -> p.district().equals(district.name())).sorted(MEDICAL_FIRST).toList();
      return audit.record(AuditEvent.success(userId, "disaster.register.printed", "disaster:district:" + name,
          new JsonObject().put("people", shown.size())))
          .map(ignored -> new DistrictList(district, shown, state.visibility(), state.version()));
    });
  }

  /** The register now, who may see whom, and during a declaration each person's latest 安否確認. */
  private record State(Optional<Integer> version, List<RegisterPerson> people, Visibility visibility,
      Map<String, SafetySql.Check> safety) {}

  /**
   * The people of a confirmed version: its rows are written once and change only when the background
   * placement finds a home on the map ({@link #forget()}), so they are read once per version and kept (a 50,000-person register read on every dashboard request kept the
   * readers busy for seconds under load).
   */
  private List<RegisterPerson> people(java.sql.Connection c, String importId) throws java.sql.SQLException {
    Version kept = version;
    if (kept != null && kept.importId().equals(importId)) {
      return kept.people();
    }
    List<RegisterPerson> people = List.copyOf(RegisterSql.people(c, importId));
    version = new Version(importId, people);
    return people;
  }

  private record Version(String importId, List<RegisterPerson> people) {}

  /** People were moved on the map (their rows changed): read them and count again. */
  void forget() {
    version = null;
    summaries.clear();
  }

  /** What the counts depend on: the confirmed import, the open declaration (or none), staff or not. */
  private record SummaryKey(String importId, String declarationId, boolean staff) {

    boolean sameRegisterAndDeclaration(SummaryKey other) {
      return importId.equals(other.importId) && declarationId.equals(other.declarationId);
    }
  }

  private Future<State> current(boolean staff) {
    return declarations.current().compose(declaration -> services.database().read(c -> {
      Optional<RegisterSql.Import> current = RegisterSql.current(c);
      List<RegisterPerson> people = current.isPresent() ? people(c, current.get().id()) : List.of();
      Map<String, SafetySql.Check> safety = declaration.isPresent() ? SafetySql.latest(c, declaration.get().id())
          : Map.of();
      return new State(current.map(RegisterSql.Import::version), people, new Visibility(staff, declaration), safety);
    }));
  }
}
