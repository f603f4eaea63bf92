package jp.tsunagu.node.resources;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The categories and tags staff classify resources with (configurable, seeded by the migration).
 * Immutable; categories are also kept by code, since every rendered result names its category.
 */
public final class Vocabulary {

  private final List<Category> categories;
  private final List<String> tags;
  private final Map<String, Category> byCode;

  public Vocabulary(List<Category> categories, List<String> tags) {
    this.categories = List.copyOf(categories);
    this.tags = List.copyOf(tags);
    Map<String, Category> codes = new LinkedHashMap<>();
    categories.forEach(c -> codes.putIfAbsent(c.code(), c));
    this.byCode = Map.copyOf(codes);
  }

  public List<Category> categories() {
    return categories;
  }

  public List<String> tags() {
    return tags;
  }

  public Optional<Category> category(String code) {
    return Optional.ofNullable(byCode.get(code));
  }

  public List<Category> topLevel() {
    return categories.stream().filter(Category::topLevel).toList();
  }

  public List<Category> childrenOf(String parentCode) {
    return categories.stream().filter(c -> c.parentCode().map(parentCode::equals).orElse(false)).toList();
  }

  /** A top-level category by its Japanese name or code (CSV cells carry names). */
  public Optional<Category> topLevelByName(String nameOrCode) {
    return topLevel().stream().filter(c -> c.nameJa().equals(nameOrCode) || c.code().equals(nameOrCode)).findFirst();
  }

  public Optional<Category> childByName(String parentCode, String nameOrCode) {
    return childrenOf(parentCode).stream()
        .filter(c -> c.nameJa().equals(nameOrCode) || c.code().equals(nameOrCode)).findFirst();
  }

  public String nameOf(String code) {
    Category category = byCode.get(code);
    return category == null ? code : category.nameJa();
  }

  /** The dataset a resource exports as: its sub-category's, else its category's. */
  public Optional<String> openDataSetOf(ResourceFields fields) {
    Optional<Category> sub = fields.subCategory().flatMap(this::category);
    if (sub.isPresent()) {
      return sub.get().openDataSet();
    }
    return category(fields.category()).flatMap(Category::openDataSet);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Vocabulary v && v.categories.equals(categories) && v.tags.equals(tags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(categories, tags);
  }

  @Override
  public String toString() {
    return "Vocabulary[categories=" + categories + ", tags=" + tags + "]";
  }
}
