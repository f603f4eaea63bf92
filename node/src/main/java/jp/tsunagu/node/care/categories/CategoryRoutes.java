package jp.tsunagu.node.care.categories;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.web.Answers;

/**
 * 情報カテゴリー: everyone who posts or administers reads the list; the node's administration
 * (municipal staff, 行政) adds, renames, reorders and stops categories. A rename keeps the old name
 * recorded for the category: posts keep the name they were written with, and filtering by the
 * category finds them too. Every change is audited.
 */
public final class CategoryRoutes implements RouteSet {

  public static final int NAME_MAX = 20;
  static final int MOST = 50;
  private static final Handler<RoutingContext> STAFF = AccessGuard.roles(Role.MUNICIPAL_STAFF);
  private static final Handler<RoutingContext> READERS =
      AccessGuard.roles(Role.PROFESSIONAL, Role.FACILITY_ADMIN, Role.MUNICIPAL_STAFF);

  private final CareContext care;

  public CategoryRoutes(CareContext care) {
    this.care = care;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/care/categories").handler(READERS).handler(this::list);
    care.services().idempotency().guard(api.post("/care/categories").handler(STAFF).handler(AccessGuard::csrf))
        .handler(this::create);
    api.put("/care/categories/:categoryId").handler(STAFF).handler(AccessGuard::csrf).handler(this::change);
    api.put("/care/category-order").handler(STAFF).handler(AccessGuard::csrf).handler(this::reorder);
  }

  /** The active names in order (what the post form offers) and every category with its details. */
  private static JsonObject listing(List<Category> all) {
    return new JsonObject()
        .put("categories", new JsonArray(all.stream().filter(Category::active).map(Category::name).toList()))
        .put("all", new JsonArray(all.stream().map(Category::toJson).toList()));
  }

  private void list(RoutingContext ctx) {
    care.database().read(CategorySql::all).onSuccess(all -> ctx.json(listing(all))).onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String name = name(CareInput.of(ctx)).orElseThrow(() ->
        CodedException.invalid("validation.required", "カテゴリー名を入力してください。"));
    Answers.keepWithCreate(ctx);
    care.database().write(c -> {
      if (CategorySql.all(c).size() >= MOST) {
        throw CodedException.conflict("category.too_many", "情報カテゴリーは " + MOST + " 個までです。使わないものを停止してください。");
      }
      requireFree(c, name, -1);
      long id = CategorySql.insert(c, name);
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.category.created", "category:" + id,
          new JsonObject().put("name", name)));
      return listing(CategorySql.all(c));
    }).onSuccess(json -> Answers.created(ctx, json)).onFailure(ctx::fail);
  }

  private void change(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    long id = categoryId(ctx.pathParam("categoryId"));
    CareInput input = CareInput.of(ctx);
    Optional<String> name = name(input);
    Object rawActive = input.json().getValue("active");
    if (rawActive != null && !(rawActive instanceof Boolean)) {
      throw CareInput.malformed("使用の有無");
    }
    Optional<Boolean> active = Optional.ofNullable((Boolean) rawActive);
    if (name.isEmpty() && active.isEmpty()) {
      throw CodedException.invalid("validation.required", "変更する内容（名前または使用の有無）を指定してください。");
    }
    care.database().write(c -> {
      Category category = CategorySql.byId(c, id).orElseThrow(CategoryRoutes::notFound);
      boolean renamed = name.isPresent() && !name.get().equals(category.name());
      boolean switched = active.isPresent() && active.get() != category.active();
      if (category.fixed() && (renamed || switched)) {
        throw CodedException.conflict("category.fixed", "「" + category.name()
            + "」は書類・バイタルの記録に使うため、名前の変更や停止はできません（並べ替えはできます）。");
      }
      if (renamed) {
        requireFree(c, name.get(), id);
        CategorySql.rename(c, id, name.get());
        care.audit().append(c, AuditEvent.success(actor.userId(), "care.category.renamed", "category:" + id,
            new JsonObject().put("from", category.name()).put("to", name.get())));
      }
      if (switched) {
        CategorySql.setActive(c, id, active.get());
        care.audit().append(c, AuditEvent.success(actor.userId(), active.get() ? "care.category.activated"
            : "care.category.deactivated", "category:" + id, new JsonObject().put("name", name.orElse(category.name()))));
      }
      return listing(CategorySql.all(c));
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void reorder(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    Object raw = CareInput.of(ctx).json().getValue("ids");
    if (!(raw instanceof JsonArray array) || array.size() > MOST * 2) {
      throw CareInput.malformed("並び順");
    }
    List<Long> ids = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof Number number) || number.longValue() != number.doubleValue()) {
        throw CareInput.malformed("並び順");
      }
      ids.add(number.longValue());
    }
    care.database().write(c -> {
      List<Category> all = CategorySql.all(c);
      if (ids.size() != all.size() || new HashSet<>(ids).size() != ids.size()
          || !new HashSet<>(ids).equals(new HashSet<>(all.stream().map(Category::id).toList()))) {
        throw CodedException.invalid("category.order_mismatch",
            "並び順には、すべての情報カテゴリーを1回ずつ含めてください。画面を再読み込みしてからやり直してください。");
      }
      CategorySql.reorder(c, ids);
      List<Category> reordered = CategorySql.all(c);
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.category.reordered", "categories",
          new JsonObject().put("order", new JsonArray(reordered.stream().map(Category::name).toList()))));
      return listing(reordered);
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** The name if given: one line of at most {@link #NAME_MAX} characters. */
  private static Optional<String> name(CareInput input) {
    String name = input.optionalText("name", "カテゴリー名", NAME_MAX);
    if (name.chars().anyMatch(ch -> ch == '\n' || ch == '\r' || ch == '\t')) {
      throw CareInput.malformed("カテゴリー名");
    }
    return name.isEmpty() ? Optional.empty() : Optional.of(name);
  }

  /**
   * A name may go to a category only if no other category has it now or had it before: a former
   * name still stands for that category's old posts, and the timeline filter would mix the two.
   */
  private static void requireFree(Connection c, String name, long self) throws SQLException {
    Optional<Long> owner = CategorySql.ownerOfName(c, name);
    if (owner.isEmpty() || owner.get() == self) {
      return;
    }
    Category other = CategorySql.byId(c, owner.get()).orElseThrow();
    if (other.name().equals(name)) {
      throw CodedException.conflict("category.name_taken", "「" + name + "」はすでにあります。");
    }
    throw CodedException.conflict("category.name_used_before", "「" + name + "」は以前「" + other.name()
        + "」の名前でした。過去の記事の絞り込みが混ざるため、別の名前にしてください。");
  }

  private static long categoryId(String raw) {
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw notFound();
    }
  }

  private static CodedException notFound() {
    return CodedException.notFound("category.not_found", "この情報カテゴリーは見つかりません。");
  }
}
