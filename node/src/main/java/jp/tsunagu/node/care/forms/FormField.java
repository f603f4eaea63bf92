package jp.tsunagu.node.care.forms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One field of a form template: what is asked ({@code label}), how it is answered ({@code kind}),
 * and the limits the server holds every answer to. {@code notBefore} names a date field this
 * date may not precede (the end of a 指示期間 after its start).
 */
public record FormField(String key, String label, Kind kind, boolean required, int max, List<String> options,
    String hint, String notBefore) {

  /** How a field is answered; the code is what templates and the UI name it by. */
  public enum Kind {
    TEXT("text", 200),
    LONG_TEXT("long_text", 4000),
    DATE("date", 10),
    CHOICE("choice", 0),
    CHECKBOXES("checkboxes", 0);

    private final String code;
    private final int defaultMax;

    Kind(String code, int defaultMax) {
      this.code = code;
      this.defaultMax = defaultMax;
    }

    public String code() {
      return code;
    }

    int defaultMax() {
      return defaultMax;
    }

    static Kind of(String code) {
      for (Kind kind : values()) {
        if (kind.code.equals(code)) {
          return kind;
        }
      }
      throw new IllegalStateException("unknown form field kind: " + code);
    }
  }

  public boolean hasOptions() {
    return kind == Kind.CHOICE || kind == Kind.CHECKBOXES;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("key", key).put("label", label).put("kind", kind.code())
        .put("required", required);
    if (hasOptions()) {
      json.put("options", new JsonArray(options));
    } else {
      json.put("max", max);
    }
    if (hint != null) {
      json.put("hint", hint);
    }
    return json;
  }
}
