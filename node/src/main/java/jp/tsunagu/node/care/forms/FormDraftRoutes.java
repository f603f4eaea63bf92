package jp.tsunagu.node.care.forms;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareErrors;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;

/**
 * 下書き保存 of a form: a long form (主治医意見書) is filled over several sittings, so its author saves
 * the answers so far and finds them again when opening the same form for the same patient. A draft
 * is the author's own (no one else reads it), is kept only while the author is a member of the
 * patient's team (anyone else gets {@code care.not_found}), and is deleted when the form is sent.
 */
public final class FormDraftRoutes implements RouteSet {

  private static final String PATH = "/patients/:boardId/form-drafts/:templateId";

  private final CareContext care;

  public FormDraftRoutes(CareContext care) {
    this.care = care;
  }

  @Override
  public void mountApi(Router api) {
    api.get(PATH).handler(CareFeature.PROFESSIONALS).handler(this::show);
    api.put(PATH).handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf).handler(this::save);
    api.delete(PATH).handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf).handler(this::discard);
  }

  private void show(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    FormTemplate template = FormValues.template(ctx.pathParam("templateId"));
    String boardId = ctx.pathParam("boardId");
    care.database().read(c -> {
      requireMember(c, boardId, actor);
      return FormDrafts.find(c, actor.userId(), boardId, template.id());
    }).onSuccess(draft -> ctx.json(new JsonObject().put("draft", draft.map(FormDrafts.Draft::toJson).orElse(null))))
        .onFailure(ctx::fail);
  }

  private void save(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    FormTemplate template = FormValues.template(ctx.pathParam("templateId"));
    JsonObject values = FormValues.draft(template, FormRoutes.rawValues(CareInput.of(ctx)));
    String boardId = ctx.pathParam("boardId");
    care.database().write(c -> {
      requireMember(c, boardId, actor);
      String now = care.now();
      FormDrafts.save(c, actor.userId(), boardId, template.id(), values, now);
      return new FormDrafts.Draft(values, now);
    }).onSuccess(draft -> ctx.json(draft.toJson())).onFailure(ctx::fail);
  }

  private void discard(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    FormTemplate template = FormValues.template(ctx.pathParam("templateId"));
    String boardId = ctx.pathParam("boardId");
    care.database().write(c -> {
      requireMember(c, boardId, actor);
      FormDrafts.delete(c, actor.userId(), boardId, template.id());
      return null;
    }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private static void requireMember(Connection c, String boardId, CareActor actor) throws SQLException {
    if (BoardSql.activeMember(c, boardId, BoardKind.PATIENT, actor.userId()).isEmpty()) {
      throw CareErrors.notFound();
    }
  }
}
