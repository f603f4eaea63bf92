package jp.tsunagu.node.vaccination;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.csv.CsvCells;
import jp.tsunagu.node.disaster.DistrictNames;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * The report to 行政 (municipal staff): for a period (and a vaccine, or all), the doses given to
 * this node's own patients counted by place, 地区 (the disaster feature's list), age band and dose number; and the per-dose items a
 * municipality enters into the national vaccination records (接種券番号, 接種日, ワクチン種類, メーカー,
 * ロット番号, 接種回数) as CSV in UTF-8 or Shift_JIS (Windows-31J, as Japanese spreadsheets read it).
 * Partners' patients are not in it: their municipality reports them. Every read and export is audited.
 */
final class Reports {

  static final List<String> CSV_HEADER = List.of("接種券番号", "接種日", "ワクチン種類", "メーカー", "ロット番号", "接種回数");
  static final Charset SHIFT_JIS = Charset.forName("windows-31j");
  private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
  private static final List<int[]> AGE_BANDS = List.of(new int[] {0, 64}, new int[] {65, 74}, new int[] {75, 84},
      new int[] {85, 200});

  /** A period and an optional vaccine, as asked. */
  record Query(LocalDate from, LocalDate to, String vaccine) {
    static Query of(String from, String to, String vaccine) {
      try {
        LocalDate f = LocalDate.parse(from == null ? "" : from);
        LocalDate t = LocalDate.parse(to == null ? "" : to);
        if (t.isBefore(f)) {
          throw CodedException.invalid("vaccination.bad_period", "期間の終わりが始まりより前です。");
        }
        return new Query(f, t, vaccine == null ? "" : vaccine.strip());
      } catch (DateTimeParseException e) {
        throw CodedException.invalid("vaccination.bad_period", "期間（開始日・終了日）を入力してください。");
      }
    }
  }

  /** One dose of the report, with what it is counted by. */
  private record Row(DoseSql.Stored dose, String district, String ageBand) {}

  private final NodeServices services;
  private final AuditLog audit;
  private final PatientAccess patients;
  private final DistrictNames districts;

  /** @param districts the node's 地区 as the disaster feature lists them: a dose is counted by its patient's */
  Reports(NodeServices services, AuditLog audit, PatientAccess patients, DistrictNames districts) {
    this.services = services;
    this.audit = audit;
    this.patients = patients;
    this.districts = districts;
  }

  Future<JsonObject> counts(String staffId, Query query) {
    return rows(query).map(rows -> {
      JsonObject counts = new JsonObject().put("total", rows.size())
          .put("byPlace", count(rows, r -> Place.fromCode(r.dose().place()).map(Place::labelJa).orElse("")))
          .put("byDistrict", count(rows, Row::district)).put("byAgeBand", count(rows, Row::ageBand))
          .put("byDose", count(rows, r -> r.dose().doseNumber() + "回目"))
          .put("byVaccine", count(rows, r -> r.dose().vaccine()));
      return new JsonObject().put("from", query.from().toString()).put("to", query.to().toString())
          .put("vaccine", query.vaccine()).put("counts", counts);
    }).compose(report -> audit.record(AuditEvent.success(staffId, "vaccination.report.read", "vaccination:report",
        new JsonObject().put("from", query.from().toString()).put("to", query.to().toString())
            .put("vaccine", query.vaccine()))).map(report));
  }

  /** The national-record items of each dose as a CSV file in the charset asked for. */
  Future<byte[]> csv(String staffId, Query query, boolean shiftJis) {
    return services.database().read(c -> VaccineSql.known(c)).compose(vaccines -> rows(query).map(rows -> {
      Map<String, String> names = new TreeMap<>();
      vaccines.forEach(v -> names.put(v.code(), v.nameJa()));
      List<List<String>> lines = rows.stream().map(r -> List.of(r.dose().ticketNumber(), day(r.dose().givenAt()),
          names.getOrDefault(r.dose().vaccine(), r.dose().vaccine()), r.dose().manufacturer(), r.dose().lotNumber(),
          String.valueOf(r.dose().doseNumber()))).toList();
      return new Object[] {CsvCells.table(CSV_HEADER, lines), rows.size()};
    })).compose(made -> audit.record(AuditEvent.success(staffId, "vaccination.report.exported", "vaccination:report",
        new JsonObject().put("from", query.from().toString()).put("to", query.to().toString())
            .put("vaccine", query.vaccine()).put("encoding", shiftJis ? "shift_jis" : "utf-8")
            .put("rows", (Integer) made[1]))).map(ignored -> ((String) made[0])
                .getBytes(shiftJis ? SHIFT_JIS : StandardCharsets.UTF_8)));
  }

  private Future<List<Row>> rows(Query query) {
    return services.database().read(c -> VaccineSql.byCode(c, query.vaccine()).isPresent() || query.vaccine().isEmpty()
        ? Boolean.TRUE : Boolean.FALSE).compose(known -> {
          if (!known) {
            return Future.failedFuture(CodedException.invalid("vaccination.unknown_vaccine", "一覧にないワクチンです。"));
          }
          return patients.registeredForStaff();
        }).compose(registered -> services.database().read(c -> {
          Map<String, PatientAccess.Registered> own = new TreeMap<>();
          registered.forEach(p -> own.put(p.id(), p));
          String from = query.from().atStartOfDay(JAPAN).toInstant().toString();
          String until = query.to().plusDays(1).atStartOfDay(JAPAN).toInstant().toString();
          return DoseSql.givenBetween(c, from, until).stream()
              .filter(d -> own.containsKey(d.patientId()))
              .filter(d -> query.vaccine().isEmpty() || d.vaccine().equals(query.vaccine()))
              .map(d -> new Row(d, district(own.get(d.patientId()).address()),
                  ageBand(LocalDate.parse(own.get(d.patientId()).birthDate()), d.givenAt())))
              .toList();
        }));
  }

  /** The 地区 of a patient's address, from the node's 地区 list; 不明 when the address names none of them. */
  private String district(String address) {
    return districts.of(address).orElse("不明");
  }

  private static String ageBand(LocalDate birth, String givenAt) {
    int age = Period.between(birth, Instant.parse(givenAt).atZone(JAPAN).toLocalDate()).getYears();
    for (int[] band : AGE_BANDS) {
      if (age >= band[0] && age <= band[1]) {
        return band[1] >= 200 ? band[0] + "歳以上" : band[0] == 0 ? "64歳以下" : band[0] + "〜" + band[1] + "歳";
      }
    }
    return "不明";
  }

  private static String day(String givenAt) {
    return Instant.parse(givenAt).atZone(JAPAN).toLocalDate().toString().replace('-', '/');
  }

  private static JsonArray count(List<Row> rows, Function<Row, String> key) {
    Map<String, Integer> counts = new TreeMap<>();
    rows.forEach(r -> counts.merge(key.apply(r), 1, Integer::sum));
    JsonArray out = new JsonArray();
    counts.forEach((k, n) -> out.add(new JsonObject().put("key", k).put("count", n)));
    return out;
  }
}
