package jp.tsunagu.node.care.forms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * A form (様式) as data: its sections in the order of the official paper form, and which fields
 * the timeline post shows as its summary. Definitions live in {@code forms/*.json} ({@link FormTemplates}).
 */
public record FormTemplate(String id, String title, String description, List<String> summary,
    List<Section> sections) {

  /** A numbered part of the form, e.g. "1. 傷病に関する意見". */
  public record Section(String title, List<FormField> fields) {}

  public List<FormField> fields() {
    return sections.stream().flatMap(s -> s.fields().stream()).toList();
  }

  public Optional<FormField> field(String key) {
    return fields().stream().filter(f -> f.key().equals(key)).findFirst();
  }

  public JsonObject toJson() {
    JsonArray parts = new JsonArray();
    for (Section section : sections) {
      parts.add(new JsonObject().put("title", section.title())
          .put("fields", new JsonArray(section.fields().stream().map(FormField::toJson).toList())));
    }
    return new JsonObject().put("id", id).put("title", title).put("description", description).put("sections", parts);
  }
}
