package jp.tsunagu.node.resources;

import java.util.List;
import java.util.Optional;

/** The categories and tags staff classify resources with (configurable, seeded by the migration). */
public record Vocabulary(List<Category> categories, List<String> tags) {

  public Vocabulary {
    categories = List.copyOf(categories);
    tags = List.copyOf(tags);
  }

  public Optional<Category> category(String code) {
    return categories.stream().filter(c -> c.code().equals(code)).findFirst();
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
    return category(code).map(Category::nameJa).orElse(code);
  }

  /** The dataset a resource exports as: its sub-category's, else its category's. */
  public Optional<String> openDataSetOf(ResourceFields fields) {
    Optional<Category> sub = fields.subCategory().flatMap(this::category);
    if (sub.isPresent()) {
      return sub.get().openDataSet();
    }
    return category(fields.category()).flatMap(Category::openDataSet);
  }
}
