package jp.tsunagu.node.care.forms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The form templates this node offers, read once from the class path. A broken definition stops
 * the node at start-up instead of surfacing as a refused form in front of a doctor.
 */
final class FormTemplates {

  /** In the order the UI offers them. */
  private static final List<String> IDS = List.of("shujii_ikensho", "houmon_kango_shijisho",
      "houmon_kango_houkokusho");
  private static final List<FormTemplate> ALL = IDS.stream().map(FormTemplates::load).toList();

  private FormTemplates() {}

  static List<FormTemplate> all() {
    return ALL;
  }

  static Optional<FormTemplate> byId(String id) {
    return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  private static FormTemplate load(String id) {
    String path = id + ".json"; // beside this class: jp/tsunagu/node/care/forms/
    try (InputStream in = FormTemplates.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("form template missing from the class path: " + path);
      }
      return parse(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static FormTemplate parse(JsonObject json) {
    Set<String> keys = new HashSet<>();
    List<FormTemplate.Section> sections = new ArrayList<>();
    for (Object s : json.getJsonArray("sections")) {
      JsonObject section = (JsonObject) s;
      List<FormField> fields = new ArrayList<>();
      for (Object f : section.getJsonArray("fields")) {
        FormField field = field((JsonObject) f);
        if (!keys.add(field.key())) {
          throw new IllegalStateException("duplicate field " + field.key() + " in form " + json.getString("id"));
        }
        fields.add(field);
      }
      sections.add(new FormTemplate.Section(section.getString("title"), List.copyOf(fields)));
    }
    FormTemplate template = new FormTemplate(json.getString("id"), json.getString("title"),
        json.getString("description", ""), strings(json.getJsonArray("summary")), List.copyOf(sections));
    for (FormField field : template.fields()) {
      if (field.notBefore() != null && template.field(field.notBefore()).isEmpty()) {
        throw new IllegalStateException("field " + field.key() + " refers to a missing field " + field.notBefore());
      }
    }
    for (String key : template.summary()) {
      if (template.field(key).isEmpty()) {
        throw new IllegalStateException("summary of form " + template.id() + " names a missing field " + key);
      }
    }
    return template;
  }

  private static FormField field(JsonObject json) {
    FormField.Kind kind = FormField.Kind.of(json.getString("kind"));
    List<String> options = strings(json.getJsonArray("options"));
    if ((kind == FormField.Kind.CHOICE || kind == FormField.Kind.CHECKBOXES) == options.isEmpty()) {
      throw new IllegalStateException("field " + json.getString("key") + ": options belong to choices only");
    }
    return new FormField(json.getString("key"), json.getString("label"), kind, json.getBoolean("required", false),
        json.getInteger("max", kind.defaultMax()), options, json.getString("hint"), json.getString("notBefore"));
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }
}
