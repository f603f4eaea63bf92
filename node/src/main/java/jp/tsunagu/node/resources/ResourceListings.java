package jp.tsunagu.node.resources;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Published resources as they travel between nodes (the content of a signed
 * {@code ResourceListing}): the API's field keys with text values, and the publisher's vocabulary.
 * A listing read from a partner goes through the same validation as staff input, against the
 * partner's vocabulary and municipalities, so a partner can only publish resources in its own area
 * and a malformed resource is left out rather than shown.
 */
public final class ResourceListings {

  /** What a listing held once read: the valid resources and how many were left out. */
  public record Read(Catalog catalog, int rejected) {}

  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,40}");

  private ResourceListings() {}

  /** The publisher's categories and tags. */
  public static Map<String, Object> vocabulary(Catalog catalog) {
    List<Object> categories = new ArrayList<>();
    for (Category c : catalog.vocabulary().categories()) {
      Map<String, Object> category = new LinkedHashMap<>();
      category.put("code", c.code());
      c.parentCode().ifPresent(parent -> category.put("parent", parent));
      category.put("name", c.nameJa());
      categories.add(category);
    }
    Map<String, Object> vocabulary = new LinkedHashMap<>();
    vocabulary.put("categories", categories);
    vocabulary.put("tags", List.copyOf(catalog.vocabulary().tags()));
    return vocabulary;
  }

  /** Every published resource of the catalog (it holds no other), without photos. */
  public static List<Map<String, Object>> resources(Catalog catalog) {
    return catalog.allPublished().stream().map(ResourceListings::toWire).toList();
  }

  private static Map<String, Object> toWire(Resource resource) {
    ResourceFields f = resource.fields();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", resource.id());
    json.put(ResourceField.NAME.key(), f.name());
    json.put(ResourceField.NAME_KANA.key(), f.nameKana());
    json.put(ResourceField.CATEGORY.key(), f.category());
    f.subCategory().ifPresent(s -> json.put(ResourceField.SUB_CATEGORY.key(), s));
    json.put(ResourceField.TAGS.key(), List.copyOf(f.tags()));
    json.put(ResourceField.MUNICIPALITY_CODE.key(), f.municipalityCode());
    json.put(ResourceField.ADDRESS.key(), f.address());
    json.put(ResourceField.BUILDING.key(), f.building());
    json.put(ResourceField.LATITUDE.key(), Double.toString(f.location().latitude()));
    json.put(ResourceField.LONGITUDE.key(), Double.toString(f.location().longitude()));
    json.put(ResourceField.PHONE.key(), f.phone());
    json.put(ResourceField.FAX.key(), f.fax());
    json.put(ResourceField.URL.key(), f.url());
    json.put(ResourceField.DESCRIPTION.key(), f.description());
    json.put(ResourceField.SCHEDULE_RULES.key(), f.schedule().rulesText());
    json.put(ResourceField.SCHEDULE_NOTE.key(), f.schedule().note());
    json.put(ResourceField.FEE.key(), f.fee());
    f.capacity().ifPresent(c -> json.put(ResourceField.CAPACITY.key(), Integer.toString(c)));
    json.put(ResourceField.TRANSPORT.key(), f.transport());
    json.put(ResourceField.ACCESSIBILITY.key(), f.accessibility());
    json.put(ResourceField.CONTACT.key(), f.contact());
    json.put(ResourceField.OPERATOR_NAME.key(), f.operatorName());
    f.lastVerified().ifPresent(d -> json.put(ResourceField.LAST_VERIFIED.key(), d.toString()));
    json.put("updatedAt", resource.updatedAt().toString());
    return json;
  }

  /** Reads a verified listing's content, validating every resource as staff input is validated. */
  public static Read read(Map<String, Object> vocabulary, List<Map<String, Object>> resources,
      List<String> partnerMunicipalities, Instant issuedAt) {
    Vocabulary words = vocabularyOf(vocabulary);
    ResourceValidator validator = new ResourceValidator(words, java.util.Set.copyOf(partnerMunicipalities));
    List<Resource> valid = new ArrayList<>();
    int rejected = 0;
    for (Map<String, Object> item : resources) {
      Optional<Resource> resource = resourceOf(item, validator, issuedAt);
      if (resource.isPresent()) {
        valid.add(resource.get());
      } else {
        rejected++;
      }
    }
    return new Read(new Catalog(0, valid, words, Map.of()), rejected);
  }

  private static Optional<Resource> resourceOf(Map<String, Object> item, ResourceValidator validator,
      Instant issuedAt) {
    Object id = item.get("id");
    if (!(id instanceof String text) || !ID.matcher(text).matches()) {
      return Optional.empty();
    }
    Map<ResourceField, String> raw = new EnumMap<>(ResourceField.class);
    for (ResourceField field : ResourceField.values()) {
      Object value = item.get(field.key());
      if (field == ResourceField.ID || field == ResourceField.PUBLISHED || value == null) {
        continue;
      }
      if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
        raw.put(field, list.stream().map(String.class::cast).collect(Collectors.joining(";")));
      } else if (value instanceof String string) {
        raw.put(field, string);
      } else {
        return Optional.empty();
      }
    }
    Optional<ResourceFields> fields = validator.validate(raw).fields();
    Instant updated = instant(item.get("updatedAt")).orElse(issuedAt);
    return fields.map(f -> new Resource(text, f, List.of(), true, updated, updated));
  }

  private static Optional<Instant> instant(Object value) {
    try {
      return value instanceof String text ? Optional.of(Instant.parse(text)) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Vocabulary vocabularyOf(Map<String, Object> vocabulary) {
    List<Category> categories = new ArrayList<>();
    if (vocabulary.get("categories") instanceof List<?> list) {
      int order = 0;
      for (Object item : list) {
        if (item instanceof Map<?, ?> c && c.get("code") instanceof String code && c.get("name") instanceof String name) {
          Optional<String> parent = c.get("parent") instanceof String p ? Optional.of(p) : Optional.empty();
          categories.add(new Category(code, parent, name, Optional.empty(), order += 10));
        }
      }
    }
    List<String> tags = vocabulary.get("tags") instanceof List<?> list
        ? list.stream().filter(String.class::isInstance).map(String.class::cast).toList() : List.of();
    return new Vocabulary(categories, tags);
  }
}
