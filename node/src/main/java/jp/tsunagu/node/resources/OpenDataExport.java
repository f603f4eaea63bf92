package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jp.tsunagu.node.csv.CsvCells;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * Published resources as open data. Two datasets follow the column layout of the Digital
 * Agency's 自治体標準オープンデータセット (介護サービス事業所一覧, 公共施設一覧) for the categories
 * mapped to them; the full dataset carries every field of every published resource.
 */
final class OpenDataExport {

  /** A named dataset: its columns and, per resource, its row. */
  enum Dataset {
    CARE_SERVICE("care_service", List.of("都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名",
        "介護サービス事業所名称", "介護サービス事業所名称_カナ", "実施サービス", "住所", "方書", "緯度", "経度", "電話番号",
        "内線番号", "FAX番号", "法人番号", "法人の名称", "事業所番号", "利用可能曜日", "利用可能曜日特記事項", "定員", "URL",
        "備考")),
    PUBLIC_FACILITY("public_facility", List.of("都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名",
        "名称", "名称_カナ", "名称_通称", "POIコード", "住所", "方書", "緯度", "経度", "電話番号", "内線番号", "法人番号",
        "団体名", "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "説明", "バリアフリー情報", "URL", "備考")),
    ALL("all", java.util.Arrays.stream(ResourceField.values()).filter(f -> f != ResourceField.PUBLISHED)
        .map(ResourceField::headerJa).toList());

    final String code;
    final List<String> columns;

    Dataset(String code, List<String> columns) {
      this.code = code;
      this.columns = columns;
    }
  }

  private OpenDataExport() {}

  static List<Resource> members(Dataset dataset, Catalog catalog) {
    return catalog.allPublished().stream().filter(r -> dataset == Dataset.ALL
        || catalog.vocabulary().openDataSetOf(r.fields()).map(dataset.code::equals).orElse(false)).toList();
  }

  /** Each resource's row, keyed by column, in column order. */
  static List<Map<String, String>> rows(Dataset dataset, Catalog catalog) {
    List<Map<String, String>> rows = new ArrayList<>();
    int no = 1;
    for (Resource r : members(dataset, catalog)) {
      rows.add(switch (dataset) {
        case CARE_SERVICE -> careService(r, catalog.vocabulary(), no);
        case PUBLIC_FACILITY -> publicFacility(r, catalog.vocabulary(), no);
        case ALL -> all(r, catalog.vocabulary());
      });
      no++;
    }
    return rows;
  }

  private static Map<String, String> common(Resource r, int no) {
    ResourceFields f = r.fields();
    Optional<ReferenceData.Municipality> m = ReferenceData.get().municipality(f.municipalityCode());
    Map<String, String> row = new LinkedHashMap<>();
    row.put("都道府県コード又は市区町村コード", f.municipalityCode());
    row.put("NO", String.valueOf(no));
    row.put("都道府県名", m.map(ReferenceData.Municipality::prefecture).orElse(""));
    row.put("市区町村名", m.map(ReferenceData.Municipality::nameJa).orElse(""));
    return row;
  }

  private static Map<String, String> careService(Resource r, Vocabulary v, int no) {
    ResourceFields f = r.fields();
    Map<String, String> row = common(r, no);
    row.put("介護サービス事業所名称", f.name());
    row.put("介護サービス事業所名称_カナ", f.nameKana());
    row.put("実施サービス", v.nameOf(f.subCategory().orElse(f.category())));
    location(row, f);
    row.put("内線番号", "");
    row.put("FAX番号", f.fax());
    row.put("法人番号", "");
    row.put("法人の名称", f.operatorName());
    row.put("事業所番号", "");
    row.put("利用可能曜日", days(f.schedule()));
    row.put("利用可能曜日特記事項", f.schedule().labelJa());
    row.put("定員", f.capacity().map(String::valueOf).orElse(""));
    row.put("URL", f.url());
    row.put("備考", r.path());
    return row;
  }

  private static Map<String, String> publicFacility(Resource r, Vocabulary v, int no) {
    ResourceFields f = r.fields();
    Map<String, String> row = common(r, no);
    row.put("名称", f.name());
    row.put("名称_カナ", f.nameKana());
    row.put("名称_通称", "");
    row.put("POIコード", "");
    location(row, f);
    row.put("内線番号", "");
    row.put("法人番号", "");
    row.put("団体名", f.operatorName());
    row.put("利用可能曜日", days(f.schedule()));
    Optional<Recurrence> timed = f.schedule().rules().stream().filter(x -> x.start().isPresent()).findFirst();
    row.put("開始時間", timed.flatMap(Recurrence::start).map(Object::toString).orElse(""));
    row.put("終了時間", timed.flatMap(Recurrence::end).map(Object::toString).orElse(""));
    row.put("利用可能日時特記事項", f.schedule().labelJa());
    row.put("説明", f.description());
    row.put("バリアフリー情報", f.accessibility().replaceAll("[、，,；]", ";"));
    row.put("URL", f.url());
    row.put("備考", v.nameOf(f.subCategory().orElse(f.category())));
    return row;
  }

  private static void location(Map<String, String> row, ResourceFields f) {
    row.put("住所", ResourceHtml.address(f));
    row.put("方書", f.building());
    row.put("緯度", String.valueOf(f.location().latitude()));
    row.put("経度", String.valueOf(f.location().longitude()));
    row.put("電話番号", f.phone());
  }

  private static Map<String, String> all(Resource r, Vocabulary v) {
    ResourceFields f = r.fields();
    Map<String, String> row = new LinkedHashMap<>();
    row.put("ID", r.id());
    row.put("名称", f.name());
    row.put("名称_カナ", f.nameKana());
    row.put("カテゴリ", v.nameOf(f.category()));
    row.put("サブカテゴリ", f.subCategory().map(v::nameOf).orElse(""));
    row.put("タグ", String.join(";", f.tags()));
    row.put("市区町村コード", f.municipalityCode());
    row.put("住所", f.address());
    row.put("方書", f.building());
    row.put("緯度", String.valueOf(f.location().latitude()));
    row.put("経度", String.valueOf(f.location().longitude()));
    row.put("電話番号", f.phone());
    row.put("FAX番号", f.fax());
    row.put("URL", f.url());
    row.put("活動内容", f.description());
    row.put("予定", f.schedule().rulesText());
    row.put("予定の補足", f.schedule().note());
    row.put("参加費・利用料", f.fee());
    row.put("定員", f.capacity().map(String::valueOf).orElse(""));
    row.put("送迎", f.transport());
    row.put("バリアフリー情報", f.accessibility());
    row.put("問い合わせ先", f.contact());
    row.put("運営団体", f.operatorName());
    row.put("最終確認日", f.lastVerified().map(Object::toString).orElse(""));
    return row;
  }

  private static String days(Schedule schedule) {
    return schedule.rules().stream().flatMap(r -> r.dayNamesJa().stream()).distinct()
        .collect(Collectors.joining(";"));
  }

  /** Every cell, the header too, is neutralised against formula injection ({@link CsvCells}). */
  static String csv(Dataset dataset, List<Map<String, String>> rows) {
    return CsvCells.table(dataset.columns, rows.stream()
        .map(row -> dataset.columns.stream().map(c -> row.getOrDefault(c, "")).toList()).toList());
  }

  static JsonArray json(List<Map<String, String>> rows) {
    JsonArray array = new JsonArray();
    rows.forEach(row -> array.add(new JsonObject(new LinkedHashMap<>(row))));
    return array;
  }
}
