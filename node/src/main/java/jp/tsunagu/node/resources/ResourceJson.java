package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Resources to and from the JSON of the API. */
final class ResourceJson {

  private ResourceJson() {}

  /** The raw field texts of a request body: arrays join with ';', numbers become text. */
  static Map<ResourceField, String> raw(JsonObject body) {
    Map<ResourceField, String> raw = new EnumMap<>(ResourceField.class);
    for (ResourceField field : ResourceField.values()) {
      Object value = body.getValue(field.key());
      if (value instanceof JsonArray array) {
        raw.put(field, array.stream().map(String::valueOf).collect(Collectors.joining(";")));
      } else if (value != null) {
        raw.put(field, String.valueOf(value));
      }
    }
    return raw;
  }

  static JsonObject toJson(Resource resource, Vocabulary vocabulary) {
    ResourceFields f = resource.fields();
    JsonObject json = new JsonObject()
        .put("id", resource.id())
        .put("name", f.name())
        .put("nameKana", f.nameKana())
        .put("category", f.category())
        .put("categoryName", vocabulary.nameOf(f.category()))
        .put("subCategory", f.subCategory().orElse(null))
        .put("subCategoryName", f.subCategory().map(vocabulary::nameOf).orElse(null))
        .put("tags", new JsonArray(f.tags()))
        .put("municipalityCode", f.municipalityCode())
        .put("address", f.address())
        .put("building", f.building())
        .put("latitude", f.location().latitude())
        .put("longitude", f.location().longitude())
        .put("phone", f.phone())
        .put("fax", f.fax())
        .put("url", f.url().isEmpty() ? null : f.url())
        .put("description", f.description())
        .put("scheduleRules", f.schedule().rulesText())
        .put("scheduleNote", f.schedule().note())
        .put("scheduleText", f.schedule().labelJa())
        .put("fee", f.fee())
        .put("capacity", f.capacity().orElse(null))
        .put("transport", f.transport())
        .put("accessibility", f.accessibility())
        .put("contact", f.contact())
        .put("operatorName", f.operatorName())
        .put("lastVerified", f.lastVerified().map(Object::toString).orElse(null))
        .put("photos", new JsonArray(resource.photoIds().stream().map(p -> resource.path() + "/photos/" + p).toList()))
        .put("published", resource.published())
        .put("updatedAt", resource.updatedAt().toString())
        .put("page", resource.path());
    return json;
  }

  /** The map background for screens that draw Leaflet maps from script, and where to centre it. */
  static JsonObject map(PortalSettings settings, java.util.Optional<GeoPoint> centre) {
    JsonObject map = new JsonObject().put("tileUrl", settings.tileUrl()).put("attribution", settings.attribution())
        .put("attributionUrl", settings.attributionUrl().toString());
    centre.ifPresent(c -> map.put("centre", new JsonObject().put("latitude", c.latitude())
        .put("longitude", c.longitude())));
    return map;
  }

  static JsonObject vocabulary(Vocabulary vocabulary) {
    JsonArray categories = new JsonArray();
    for (Category top : vocabulary.topLevel()) {
      JsonArray subs = new JsonArray();
      vocabulary.childrenOf(top.code()).forEach(s -> subs.add(new JsonObject().put("code", s.code())
          .put("name", s.nameJa()).put("openDataSet", s.openDataSet().orElse(null))));
      categories.add(new JsonObject().put("code", top.code()).put("name", top.nameJa())
          .put("openDataSet", top.openDataSet().orElse(null)).put("subCategories", subs));
    }
    return new JsonObject().put("categories", categories).put("tags", new JsonArray(vocabulary.tags()));
  }
}
