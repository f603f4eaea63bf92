package jp.tsunagu.node.resources;

import java.util.Optional;

/**
 * The fields of a resource as they appear in the staff API (JSON key) and in import CSV files
 * (Japanese column header, the words staff already use in their spreadsheets).
 */
public enum ResourceField {
  ID("id", "ID", 40),
  NAME("name", "名称", 100),
  NAME_KANA("nameKana", "名称_カナ", 100),
  CATEGORY("category", "カテゴリ", 60),
  SUB_CATEGORY("subCategory", "サブカテゴリ", 60),
  TAGS("tags", "タグ", 400),
  MUNICIPALITY_CODE("municipalityCode", "市区町村コード", 6),
  ADDRESS("address", "住所", 200),
  BUILDING("building", "方書", 100),
  LATITUDE("latitude", "緯度", 20),
  LONGITUDE("longitude", "経度", 20),
  PHONE("phone", "電話番号", 20),
  FAX("fax", "FAX番号", 20),
  URL("url", "URL", 500),
  DESCRIPTION("description", "活動内容", 2000),
  SCHEDULE_RULES("scheduleRules", "予定", 400),
  SCHEDULE_NOTE("scheduleNote", "予定の補足", 400),
  FEE("fee", "参加費・利用料", 200),
  CAPACITY("capacity", "定員", 7),
  TRANSPORT("transport", "送迎", 200),
  ACCESSIBILITY("accessibility", "バリアフリー情報", 400),
  CONTACT("contact", "問い合わせ先", 200),
  OPERATOR_NAME("operatorName", "運営団体", 100),
  LAST_VERIFIED("lastVerified", "最終確認日", 10),
  PUBLISHED("published", "公開", 5);

  private final String key;
  private final String headerJa;
  private final int maxLength;

  ResourceField(String key, String headerJa, int maxLength) {
    this.key = key;
    this.headerJa = headerJa;
    this.maxLength = maxLength;
  }

  public String key() {
    return key;
  }

  public String headerJa() {
    return headerJa;
  }

  public int maxLength() {
    return maxLength;
  }

  /** A CSV header cell: the Japanese header or the API key, ignoring surrounding spaces. */
  public static Optional<ResourceField> byHeader(String header) {
    String h = header.strip();
    for (ResourceField field : values()) {
      if (field.headerJa.equals(h) || field.key.equalsIgnoreCase(h)) {
        return Optional.of(field);
      }
    }
    return Optional.empty();
  }
}
