package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.meetings.FamilyInvitation;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * 出欠 from the notebook: a family account answers 出席 or 欠席 to a meeting of its patient's team that
 * invites its own mail address (the address the team invited the account at). Meetings records the
 * answer (through {@link jp.tsunagu.node.meetings.Meetings#answerForFamily}); the team sees it among
 * the meeting's participants. Any other meeting is the notebook's 404.
 */
final class FamilyMeetingRoutes implements RouteSet {

  /** The answers a family gives: 出席 and 欠席 (未定 stays the team's to ask about). */
  static final List<String> ANSWERS = List.of("attend", "decline");

  private final FamilyContext family;

  FamilyMeetingRoutes(FamilyContext family) {
    this.family = family;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/family/notebook/meetings/:meetingId/response").handler(FamilySessions::requireCaller)
        .handler(this::answer);
  }

  private void answer(RoutingContext ctx) {
    FamilyAccount account = FamilySessions.caller(ctx).account();
    String actor = FamilyContext.actor(account.id());
    String target = FamilyContext.patientTarget(account.patientId());
    String meetingId = ctx.pathParam("meetingId");
    String response;
    try {
      response = new CareInput(JsonBodies.required(ctx)).optionalText("response", "出欠", 10);
      if (!ANSWERS.contains(response)) {
        throw FamilyErrors.meetingAnswerUnknown();
      }
    } catch (CodedException e) {
      family.refused(actor, "family.meeting.answer", target, e).onFailure(ctx::fail);
      return;
    }
    family.services().database().write(c -> {
      Optional<FamilyInvitation> answered = family.meetings().answerForFamily(c, account.patientId(), meetingId,
          account.email(), response);
      if (answered.isPresent()) {
        family.audit().append(c, AuditEvent.success(actor, "family.meeting.answered", target,
            new JsonObject().put("meeting", meetingId).put("response", response)));
      }
      return answered;
    }).compose(answered -> answered.isPresent() ? Future.succeededFuture(answered.get())
            : family.<FamilyInvitation>refused(actor, "family.meeting.answer", target, FamilyErrors.notFound()))
        .onSuccess(invitation -> ctx.json(invitation.toJson())).onFailure(ctx::fail);
  }
}
