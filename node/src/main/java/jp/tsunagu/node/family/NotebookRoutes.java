package jp.tsunagu.node.family;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.Secrets;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * The notebook as the family uses it: the patient it belongs to (its own, never another), the
 * family's entries, the posts a team member chose to show the family (家族にも公開; nothing else of
 * the timeline), and a new entry of daily life or a question to the team. Each entry is also a
 * notice on the team's timeline, marked as from the family, so the team reads it where it works
 * and answers there. Every read and write is audited against the patient.
 */
final class NotebookRoutes implements RouteSet {

  /** What the family records: daily life, and a question to the team. */
  static final List<String> KINDS = List.of("食事", "睡眠", "排泄", "服薬", "気になること", "質問");

  private final FamilyContext family;

  NotebookRoutes(FamilyContext family) {
    this.family = family;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/family/notebook").handler(FamilySessions::requireCaller).handler(this::notebook);
    api.post("/family/notebook/entries").handler(FamilySessions::requireCaller).handler(this::write);
  }

  private void notebook(RoutingContext ctx) {
    FamilyAccount account = FamilySessions.caller(ctx).account();
    family.services().database().read(c -> entriesJson(c, account.patientId()).put("shared",
            new JsonArray(family.sharing().shared(c, account.patientId()).stream().map(p -> new JsonObject()
                .put("category", p.category()).put("body", p.body()).put("author", p.author())
                .put("createdAt", p.createdAt())).toList()))
            // Only the meetings of this patient's board that invite this account's own address.
            .put("meetings", new JsonArray(family.meetings().invitingFamily(c, account.patientId(), account.email())
                .stream().map(m -> m.toJson()).toList()))
            // 訪問予定: the coming visits the team planned.
            .put("visits", VisitRoutes.coming(c, account.patientId())))
        .compose(json -> family.audit().record(AuditEvent.success(FamilyContext.actor(account.id()),
            "family.notebook.read", FamilyContext.patientTarget(account.patientId()), null)).map(json))
        .onSuccess(json -> ctx.json(json.put("name", account.displayName()).put("relation", account.relation())
            .put("kinds", new JsonArray(KINDS))))
        .onFailure(ctx::fail);
  }

  private void write(RoutingContext ctx) {
    FamilyAccount account = FamilySessions.caller(ctx).account();
    String actor = FamilyContext.actor(account.id());
    String target = FamilyContext.patientTarget(account.patientId());
    String kind;
    String body;
    try {
      CareInput in = new CareInput(JsonBodies.required(ctx));
      kind = in.optionalText("kind", "種類", 10);
      body = in.text("body", "内容", 2000);
      if (!KINDS.contains(kind)) {
        throw FamilyErrors.kindUnknown();
      }
    } catch (CodedException e) {
      family.refused(actor, "family.entry.write", target, e).onFailure(ctx::fail);
      return;
    }
    String id = Secrets.id();
    String now = family.now().toString();
    String notice = "【ご家族から（" + account.relation() + "・" + account.displayName() + " さん）】" + kind + "\n" + body;
    String hourAgo = family.now().minus(java.time.Duration.ofHours(1)).toString();
    family.services().database().write(c -> {
      if (FamilySql.entriesSince(c, account.id(), hourAgo) >= family.entriesPerHour()) {
        throw FamilyErrors.tooManyEntries();
      }
      // The notice is written in the inviting member's name as the family's channel to the team.
      Optional<String> post = family.notices().activeMember(c, account.patientId(), account.invitedBy())
          ? family.notices().post(c, account.patientId(), account.invitedBy(), notice) : Optional.empty();
      FamilySql.insertEntry(c, id, account.id(), account.patientId(), kind, body, now, post.orElse(null));
      family.audit().append(c, AuditEvent.success(actor, "family.entry.written", target,
          new JsonObject().put("entry", id).put("kind", kind)));
      return post;
    }).recover(e -> e instanceof CodedException coded && "family.too_many_entries".equals(coded.code())
        ? family.<Optional<String>>refused(actor, "family.entry.write", target, coded)
        : io.vertx.core.Future.failedFuture(e)).onSuccess(post -> {
      post.ifPresent(p -> family.notices().committed(ctx.vertx(), account.patientId(), p));
      Answers.created(ctx, new JsonObject().put("id", id).put("kind", kind).put("body", body).put("createdAt", now));
    }).onFailure(ctx::fail);
  }

  /** The patient's notebook entries with who wrote each (relation and name) and their photos, newest first. */
  static JsonObject entriesJson(Connection c, String patientId) throws SQLException {
    Map<String, FamilyAccount> writers = FamilySql.ofPatient(c, patientId).stream()
        .collect(Collectors.toMap(FamilyAccount::id, a -> a));
    JsonArray entries = new JsonArray();
    Map<String, List<String>> photos = FamilySql.photosByEntry(c, patientId);
    for (FamilySql.Entry e : FamilySql.entries(c, patientId, 200)) {
      FamilyAccount by = writers.get(e.accountId());
      entries.add(new JsonObject().put("id", e.id()).put("kind", e.kind()).put("body", e.body())
          .put("createdAt", e.createdAt()).put("by", by == null ? "" : by.relation() + " " + by.displayName())
          .put("photos", new JsonArray(photos.getOrDefault(e.id(), List.of()))));
    }
    return new JsonObject().put("entries", entries);
  }
}
