package jp.tsunagu.node.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import jp.tsunagu.node.web.TextRule.Shape;

/**
 * Every text field of every JSON-accepting route, in one place: the route (method and full path as
 * mounted), the field, one line or several, and its length in characters. {@link JsonBodies} applies
 * {@link TextPolicy} by this list to each body it reads, the CSV imports take the rules of the route
 * their rows stand for, and the tests send hostile text to every field listed here. A string in a
 * body that no rule names (a value inside a form's {@code values}, a federated profile) still gets
 * the character rules of a multi-line text.
 */
public final class TextInventory {

  /** A route that reads a JSON body, and the rules of its text fields. */
  public record Route(String method, String path, List<TextRule> fields) {

    public String key() {
      return method + " " + path;
    }

    public Optional<TextRule> field(String name) {
      return fields.stream().filter(f -> f.field().equals(name)).findFirst();
    }
  }

  public static final String PATIENT = "POST /api/v1/patients";
  public static final String RESOURCE = "POST /api/v1/staff/resources";

  private static final Map<String, Route> ROUTES = java.util.Collections.unmodifiableMap(routes());

  /**
   * Routes that take a body without text fields of their own, each said why: raw bytes (an
   * attachment, a photo, a CSV file whose cells the import checks by the rules of {@link #PATIENT}
   * and {@link #RESOURCE}), signed federation documents read by the protocol's own parser, no body
   * at all, or JSON of ids and flags only. A JSON body among them still gets the character rules for
   * every string, as do a form's {@code values}, whose kinds and lengths the form template sets.
   */
  public static final Set<String> WITHOUT_TEXT = Set.of(
      // bytes
      "POST /api/v1/uploads", "POST /api/v1/staff/resources/:id/photos", "POST /api/v1/staff/resources/import",
      "POST /api/v1/patients/import", "POST /api/v1/disaster/register/imports",
      // signed documents
      "POST /admin/v1/agreements", "POST /admin/v1/withdrawals",
      // a watch-sensor gateway's signed batch: ids, kinds and numbers, each checked by the ingest
      "POST /api/v1/gateway/batches",
      // no body, or ids and flags
      "POST /admin/v1/partner-resources/sync", "POST /admin/v1/backups", "POST /api/v1/auth/logout",
      "POST /api/v1/sensors/gateways/:gatewayId/revoke",
      "POST /api/v1/account/certificates/:id/revoke", "POST /api/v1/facility/certificates/:id/revoke",
      "POST /api/v1/facility/staff/:id/disable", "POST /api/v1/facility/staff/:id/enable",
      "POST /api/v1/facility/staff/:id/reset-password",
      "POST /api/v1/patients/:boardId/reads", "POST /api/v1/groups/:boardId/reads",
      "POST /api/v1/patients/:boardId/team/leave", "POST /api/v1/groups/:boardId/team/leave",
      "POST /api/v1/patients/:boardId/team/members/:userId/remove",
      "POST /api/v1/groups/:boardId/team/members/:userId/remove",
      "POST /api/v1/invitations/:boardId/accept", "POST /api/v1/invitations/:boardId/decline",
      "POST /api/v1/municipal/registrations/:id/approve", "POST /api/v1/municipal/registrations/:id/resend-mail",
      "POST /api/v1/municipal/withdrawals/:id/approve", "POST /api/v1/municipal/withdrawals/:id/resend-mail",
      "POST /api/v1/patients/:boardId/archive", "POST /api/v1/patients/:boardId/restore",
      "POST /api/v1/municipal/patient-duplicates/:candidateId/invite",
      "POST /api/v1/municipal/patient-duplicates/:candidateId/dismiss",
      "POST /api/v1/staff/resources/:id/publish", "POST /api/v1/staff/resources/:id/unpublish",
      "PUT /api/v1/care/category-order",
      "POST /api/v1/disaster/register/imports/:importId/confirm", "POST /api/v1/disaster/register/matches/:matchId/confirm",
      "POST /api/v1/disaster/register/matches/:matchId/reject", "POST /api/v1/disaster/declarations/current/end",
      "POST /api/v1/municipal/emergency-handovers/:handoverId/revoke",
      "POST /api/v1/sensors/consent-scans", "POST /api/v1/sensors/households/:householdId/withdraw",
      "POST /api/v1/meetings/:meetingId/cancel", "POST /api/v1/calendar/feed", "POST /api/v1/calendar/feed/revoke",
      // bytes: a meeting's document
      "POST /api/v1/meetings/:meetingId/documents",
      // the review board: a material (PDF bytes), a case CSV (its cells by the case route's rules), no body
      "POST /api/v1/review/cases/:caseId/materials", "POST /api/v1/review/sessions/:sessionId/cases/import",
      "POST /api/v1/review/appointments/:appointmentId/end", "POST /api/v1/review/materials/:materialId/withdraw",
      "POST /api/v1/review/sessions/:sessionId/confirm", "POST /api/v1/review/my/sessions/:sessionId/confirm-agreed",
      "PUT /api/v1/review/panels/:panelId/members",
      // bytes: a photo on a family's notebook entry
      "POST /api/v1/family/notebook/entries/:entryId/photos",
      "POST /api/v1/family/auth/logout", "POST /api/v1/patients/:patientId/family/shared-posts",
      // a passkey's challenge asked for (no body), and the browser's WebAuthn answer (base64url fields the verifier reads)
      "POST /api/v1/family/auth/passkey/options", "POST /api/v1/family/auth/passkey",
      "POST /api/v1/family/passkeys/options", "POST /api/v1/family/passkeys",
      "POST /api/v1/patients/:patientId/family/accounts/:accountId/recovery",
      "POST /api/v1/patients/:patientId/family/accounts/:accountId/revoke",
      // form values (the template's rules), beside the form's template id listed above
      "PUT /api/v1/posts/:postId/form",
      // a form's draft: its values only, by the template's rules as above
      "PUT /api/v1/patients/:boardId/form-drafts/:templateId");

  private TextInventory() {}

  public static List<Route> all() {
    return List.copyOf(ROUTES.values());
  }

  public static Optional<Route> route(String method, String path) {
    return Optional.ofNullable(ROUTES.get(method + " " + path));
  }

  /** The rule of one field of a listed route (a CSV import's column takes the rule of its route's field). */
  public static TextRule rule(String routeKey, String field) {
    Route route = ROUTES.get(routeKey);
    return route == null ? null : route.field(field).orElse(null);
  }

  private static Map<String, Route> routes() {
    List<Route> routes = new ArrayList<>();
    // identity
    List<TextRule> person = List.of(TextRule.line("loginId", "ログインID", 32), TextRule.line("email", "メールアドレス", 254),
        TextRule.line("familyName", "姓", 40), TextRule.line("givenName", "名", 40),
        TextRule.line("familyKana", "姓（カナ）", 40), TextRule.line("givenKana", "名（カナ）", 40));
    List<TextRule> device = List.of(TextRule.line("deviceType", "端末種別", 64), TextRule.line("remark", "備考", 100));
    List<TextRule> account = concat(person, device, List.of(TextRule.line("role", "役割", 64),
        TextRule.line("profession", "職種", 64)));
    routes.add(route("POST", "/api/v1/facility/staff", account));
    routes.add(route("POST", "/api/v1/facility/staff/:id/certificates", device));
    routes.add(route("POST", "/api/v1/facility/staff/:id/role", List.of(TextRule.line("role", "役割", 64))));
    routes.add(route("POST", "/api/v1/facility/withdrawal", List.of(TextRule.line("reason", "廃止理由", 500))));
    routes.add(route("POST", "/api/v1/auth/login", List.of(TextRule.line("loginId", "ログインID", 64),
        TextRule.secret("password", "パスワード", 128))));
    routes.add(route("POST", "/api/v1/account/password", List.of(TextRule.secret("currentPassword", "パスワード", 128),
        TextRule.secret("newPassword", "新しいパスワード", 128))));
    routes.add(route("POST", "/api/v1/municipal/registrations/:id/reject",
        List.of(TextRule.line("reason", "却下理由", 500))));
    routes.add(route("POST", "/api/v1/municipal/withdrawals/:id/reject",
        List.of(TextRule.line("reason", "却下理由", 500))));
    routes.add(route("POST", "/api/v1/certificates/download", List.of(TextRule.line("retrievalNumber", "取得番号", 40),
        TextRule.secret("password", "パスワード", 128))));
    List<TextRule> registration = List.of(TextRule.line("facilityName", "施設名", 100),
        TextRule.line("prefecture", "都道府県", 10), TextRule.line("municipalityCode", "市区町村", 64),
        TextRule.line("category", "施設種別", 64), TextRule.line("familyName", "管理者の姓", 40),
        TextRule.line("givenName", "管理者の名", 40), TextRule.line("familyKana", "管理者の姓（カナ）", 40),
        TextRule.line("givenKana", "管理者の名（カナ）", 40), TextRule.line("profession", "職種", 64),
        TextRule.line("email", "メールアドレス", 254), TextRule.line("emailConfirm", "メールアドレス（確認）", 254),
        TextRule.line("loginId", "ログインID", 32), TextRule.secret("password", "パスワード", 128),
        TextRule.line("deviceType", "端末種別", 64));
    routes.add(route("POST", "/api/v1/registration/confirm", registration));
    routes.add(route("POST", "/api/v1/registrations", registration));
    List<TextRule> privileged = concat(account, List.of(TextRule.line("delivery", "通知方法", 10)));
    routes.add(route("POST", "/admin/v1/accounts", privileged));
    routes.add(route("POST", "/api/v1/municipal/accounts", privileged));
    // care
    List<TextRule> patient = List.of(TextRule.line("familyName", "氏", 40), TextRule.line("givenName", "名", 40),
        TextRule.line("familyKana", "氏（カナ）", 40), TextRule.line("givenKana", "名（カナ）", 40),
        TextRule.line("birthDate", "生年月日", 10), TextRule.line("sex", "性別", 8), TextRule.line("address", "住所", 200),
        TextRule.line("municipalityCode", "市町村コード", 6), TextRule.line("phone", "電話番号", 20),
        TextRule.line("familyDoctor", "かかりつけ医", 100), TextRule.line("careLevel", "要介護度", 8),
        TextRule.lines("emergencyContacts", "緊急連絡先", 500), TextRule.lines("acpNotes", "人生会議の記録", 4000),
        TextRule.lines("remarks", "備考", 2000));
    routes.add(route("POST", "/api/v1/patients", concat(patient, List.of(TextRule.line("teamRole", "チームでの役割", 64)))));
    routes.add(route("PUT", "/api/v1/patients/:boardId", patient));
    List<TextRule> post = List.of(TextRule.line("category", "情報カテゴリー", 20), TextRule.lines("body", "本文", 10_000));
    List<TextRule> invitation = List.of(TextRule.line("userId", "招待する方", 120),
        TextRule.line("teamRole", "チームでの役割", 64));
    for (String board : List.of("patients", "groups")) {
      routes.add(route("POST", "/api/v1/" + board + "/:boardId/posts", post));
      routes.add(route("POST", "/api/v1/" + board + "/:boardId/team/invitations", invitation));
    }
    routes.add(route("PUT", "/api/v1/posts/:postId", post));
    routes.add(route("POST", "/api/v1/posts/:postId/comments", List.of(TextRule.lines("body", "コメント", 4000))));
    routes.add(route("POST", "/api/v1/groups", List.of(TextRule.line("name", "グループ名", 60),
        TextRule.lines("description", "説明", 2000))));
    // watch sensors: gateway credentials
    List<TextRule> gateway = List.of(TextRule.line("name", "名称", 100), TextRule.line("provider", "事業者", 100));
    routes.add(route("POST", "/api/v1/sensors/gateways", gateway));
    List<TextRule> operatorGateway = new ArrayList<>(gateway);
    operatorGateway.add(TextRule.line("issuedBy", "発行者", 32));
    routes.add(route("POST", "/admin/v1/sensors/gateways", operatorGateway));
    routes.add(route("POST", "/admin/v1/sensors/gateways/:gatewayId/revoke",
        List.of(TextRule.line("revokedBy", "失効させる者", 32))));
    // disaster
    routes.add(route("POST", "/api/v1/disaster/declarations", List.of(TextRule.line("kind", "災害の種別", 20),
        TextRule.line("startedAt", "発生日時", 40))));
    routes.add(route("POST", "/api/v1/disaster/safety-checks", List.of(TextRule.line("personKey", "対象の方", 80),
        TextRule.line("patientId", "対象の患者", 80), TextRule.line("status", "安否", 20), TextRule.line("shelter", "避難所", 60), TextRule.lines("note", "メモ", 500))));
    // the review board (介護認定電子審査会); a case's CSV import takes the rules of the case route per column
    routes.add(route("POST", "/api/v1/review/appointments", List.of(TextRule.line("userId", "審査委員", 80),
        TextRule.line("qualification", "資格", 40), TextRule.line("termFrom", "任期の始まり", 10),
        TextRule.line("termTo", "任期の終わり", 10), TextRule.line("nodeId", "連携先ノード", 63),
        TextRule.line("displayName", "連携先の審査委員の氏名", 60))));
    routes.add(route("POST", "/api/v1/review/panels", List.of(TextRule.line("name", "合議体の名前", 40))));
    routes.add(route("POST", "/api/v1/review/sessions", List.of(TextRule.line("panelId", "合議体", 80),
        TextRule.line("startsAt", "開始", 40), TextRule.line("endsAt", "終了", 40),
        TextRule.line("opinionDeadline", "事前審査の締切", 40), TextRule.line("videoProvider", "ビデオ会議", 20),
        TextRule.line("videoUrl", "ビデオ会議のURL", 500))));
    routes.add(route("POST", "/api/v1/review/sessions/:sessionId/cases", List.of(
        TextRule.line("caseNumber", "事例番号", 20), TextRule.line("applicantName", "氏名", 80),
        TextRule.line("applicantAddress", "住所", 200), TextRule.line("insuredNumber", "被保険者番号", 20),
        TextRule.line("doctorName", "主治医", 80), TextRule.line("facilityName", "医療機関", 120),
        TextRule.line("firstLevel", "一次判定", 20), TextRule.lines("specialNotes", "特記事項", 8000))));
    routes.add(route("POST", "/api/v1/review/cases/:caseId/materials/from-form", List.of(
        TextRule.line("patientId", "患者", 80), TextRule.line("consentOn", "同意日", 10),
        TextRule.line("postId", "様式の記録", 80), TextRule.lines("freeText", "特記すべき事項", 4000))));
    routes.add(route("POST", "/api/v1/review/sessions/:sessionId/release", List.of(
        TextRule.line("releaseAt", "公開日時", 40))));
    routes.add(route("PUT", "/api/v1/review/my/cases/:caseId/opinion", List.of(TextRule.line("level", "要介護度", 20),
        TextRule.line("reason", "変更の理由", 40), TextRule.lines("comment", "意見", 2000))));
    routes.add(route("PUT", "/api/v1/review/partner/cases/:caseId/opinion", List.of(
        TextRule.line("node", "審査会のノード", 63), TextRule.line("sessionId", "審査会", 64),
        TextRule.line("level", "要介護度", 20), TextRule.line("reason", "変更の理由", 40),
        TextRule.lines("comment", "意見", 2000))));
    routes.add(route("PUT", "/api/v1/review/my/cases/:caseId/decision", List.of(TextRule.line("level", "二次判定", 20),
        TextRule.lines("remarks", "付帯意見", 2000))));
    // vaccination (ワクチン接種管理記録)
    List<TextRule> dose = List.of(TextRule.line("vaccine", "ワクチン", 40), TextRule.line("givenAt", "接種日時", 40),
        TextRule.line("place", "接種場所", 20), TextRule.line("manufacturer", "メーカー", 40),
        TextRule.line("lotNumber", "ロット番号", 40), TextRule.line("vaccinator", "接種者", 40),
        TextRule.line("ticketNumber", "接種券番号", 40));
    routes.add(route("POST", "/api/v1/patients/:boardId/vaccinations", dose));
    routes.add(route("PUT", "/api/v1/vaccinations/:doseId", dose));
    routes.add(route("POST", "/api/v1/vaccinations/:doseId/reactions", List.of(TextRule.line("kind", "副反応", 60),
        TextRule.line("onsetAt", "発現日時", 40), TextRule.line("outcome", "転帰", 200))));
    routes.add(route("POST", "/api/v1/patients/:boardId/vaccination-plans", List.of(TextRule.line("vaccine", "ワクチン", 40))));
    routes.add(route("POST", "/api/v1/vaccination-plans/:planId/schedule", List.of(
        TextRule.line("plannedFor", "予定日", 10), TextRule.line("assignee", "接種に行く方", 80))));
    routes.add(route("POST", "/api/v1/vaccination-plans/:planId/decline", List.of(TextRule.line("reason", "見送りの理由", 200))));
    routes.add(route("POST", "/api/v1/vaccination/vaccines", List.of(TextRule.line("name", "ワクチン名", 30))));
    routes.add(route("POST", "/api/v1/care/categories", List.of(TextRule.line("name", "カテゴリー名", 20))));
    routes.add(route("PUT", "/api/v1/care/categories/:categoryId", List.of(TextRule.line("name", "カテゴリー名", 20))));
    List<TextRule> vitals = List.of(TextRule.line("measuredAt", "測定日時", 40), TextRule.lines("note", "メモ", 2000));
    routes.add(route("POST", "/api/v1/patients/:boardId/vitals", vitals));
    routes.add(route("PUT", "/api/v1/posts/:postId/vitals", vitals));
    routes.add(route("POST", "/api/v1/patients/:boardId/forms", List.of(TextRule.line("template", "書類の種類", 64))));
    // watch sensors: enrolment (the nested consent, sensors and contacts get the character rules and the
    // enrolment's own checks) and the call centre's steps
    routes.add(route("POST", "/api/v1/sensors/households", List.of(TextRule.line("patientId", "対象の患者", 80),
        TextRule.line("registerPersonKey", "要援護者台帳の方", 80), TextRule.line("residentName", "氏名", 60),
        TextRule.line("address", "住所", 200), TextRule.line("district", "地区", 40), TextRule.line("phone", "電話番号", 20))));
    routes.add(route("POST", "/api/v1/sensors/alerts/:alertId/calls", List.of(TextRule.line("outcome", "電話の結果", 20),
        TextRule.lines("note", "メモ", 500))));
    routes.add(route("POST", "/api/v1/sensors/alerts/:alertId/resolve", List.of(TextRule.lines("reason", "解決の理由", 500))));
    routes.add(route("POST", "/api/v1/sensors/alerts/:alertId/escalate", List.of(TextRule.lines("note", "連絡事項", 500))));
    routes.add(route("POST", "/api/v1/sensors/alerts/:alertId/visit", List.of(TextRule.lines("result", "訪問の結果", 500))));
    // emergency access and the 人生会議
    routes.add(route("PUT", "/api/v1/patients/:boardId/acp", List.of(TextRule.lines("wishes", "希望する医療・ケア", 2000),
        TextRule.line("resuscitation", "延命治療・心肺蘇生についての意向", 64),
        TextRule.lines("resuscitationNote", "意向の補足", 1000), TextRule.line("proxyName", "代理意思決定者", 60),
        TextRule.line("proxyRelation", "続柄", 30), TextRule.line("proxyPhone", "代理意思決定者の連絡先", 20),
        TextRule.lines("participants", "話し合いの参加者", 500), TextRule.line("confirmedOn", "最終確認日", 10))));
    routes.add(route("PUT", "/api/v1/patients/:boardId/medical", List.of(
        TextRule.lines("medicalHistory", "病歴・既往歴", 2000), TextRule.lines("medications", "服薬中の薬", 2000),
        TextRule.lines("allergies", "アレルギー", 1000))));
    routes.add(route("POST", "/api/v1/emergency/search", List.of(TextRule.line("name", "氏名", 80),
        TextRule.line("birthDate", "生年月日", 10), TextRule.line("phone", "電話番号", 20),
        TextRule.line("address", "住所", 200))));
    routes.add(route("POST", "/api/v1/emergency/accesses", List.of(TextRule.line("patientId", "対象の方", 64),
        TextRule.line("reason", "閲覧の理由", 200), TextRule.line("dispatchNumber", "出場番号", 20))));
    routes.add(route("POST", "/api/v1/emergency/accesses/:accessId/handovers",
        List.of(TextRule.line("hospital", "搬送先の医療機関", 100))));
    routes.add(route("POST", "/api/v1/handovers/open", List.of(TextRule.line("token", "リンク", 100),
        TextRule.line("code", "確認コード", 20))));
    routes.add(route("POST", "/api/v1/emergency/partner-searches", List.of(TextRule.line("node", "市町村", 64),
        TextRule.line("name", "氏名", 80), TextRule.line("birthDate", "生年月日", 10),
        TextRule.line("phone", "電話番号", 20), TextRule.line("address", "住所", 200),
        TextRule.line("reason", "閲覧の理由", 200), TextRule.line("dispatchNumber", "出場番号", 20))));
    routes.add(route("POST", "/api/v1/emergency/partner-accesses", List.of(TextRule.line("node", "市町村", 64),
        TextRule.line("patientId", "対象の方", 64), TextRule.line("reason", "閲覧の理由", 200),
        TextRule.line("dispatchNumber", "出場番号", 20))));
    // meetings
    List<TextRule> meeting = List.of(TextRule.line("boardId", "ボード", 80), TextRule.line("kind", "会議の種類", 40),
        TextRule.line("title", "会議名", 100), TextRule.line("date", "日付", 10), TextRule.line("time", "開始時刻", 5),
        TextRule.line("endTime", "終了時刻", 5), TextRule.line("place", "開催場所", 200),
        TextRule.line("videoProvider", "ビデオ会議", 20), TextRule.line("videoUrl", "会議のリンク", 500),
        TextRule.lines("agenda", "議題", 2000));
    routes.add(route("POST", "/api/v1/meetings", meeting));
    routes.add(route("PUT", "/api/v1/meetings/:meetingId", meeting));
    routes.add(route("POST", "/api/v1/meetings/:meetingId/responses", List.of(TextRule.line("response", "出欠", 20))));
    routes.add(route("PUT", "/api/v1/meetings/:meetingId/minutes", List.of(TextRule.lines("minutes", "議事録", 8000),
        TextRule.lines("decisions", "決定事項", 4000))));
    // resources
    routes.add(route("POST", "/api/v1/referrals", List.of(TextRule.line("residentName", "紹介する方のお名前", 60),
        TextRule.line("referrerName", "紹介者", 60), TextRule.line("referrerOrganization", "紹介者の所属", 100),
        TextRule.lines("comment", "ひとこと", 1000), TextRule.line("originLabel", "基準地点", 200))));
    List<TextRule> resource = List.of(TextRule.line("id", "ID", 40), TextRule.line("name", "名称", 100),
        TextRule.line("nameKana", "名称_カナ", 100), TextRule.line("category", "カテゴリ", 60),
        TextRule.line("subCategory", "サブカテゴリ", 60), TextRule.line("tags", "タグ", 400).or(Shape.TEXT_OR_LIST),
        TextRule.line("municipalityCode", "市区町村コード", 6).or(Shape.TEXT_OR_NUMBER),
        TextRule.line("address", "住所", 200), TextRule.line("building", "方書", 100),
        TextRule.line("latitude", "緯度", 20).or(Shape.TEXT_OR_NUMBER),
        TextRule.line("longitude", "経度", 20).or(Shape.TEXT_OR_NUMBER), TextRule.line("phone", "電話番号", 20),
        TextRule.line("fax", "FAX番号", 20), TextRule.line("url", "URL", 500), TextRule.lines("description", "活動内容", 2000),
        TextRule.line("scheduleRules", "予定", 400).or(Shape.TEXT_OR_LIST), TextRule.line("scheduleNote", "予定の補足", 400),
        TextRule.line("fee", "参加費・利用料", 200), TextRule.line("capacity", "定員", 7).or(Shape.TEXT_OR_NUMBER),
        TextRule.line("transport", "送迎", 200), TextRule.line("accessibility", "バリアフリー情報", 400),
        TextRule.line("contact", "問い合わせ先", 200), TextRule.line("operatorName", "運営団体", 100),
        TextRule.line("lastVerified", "最終確認日", 10));
    routes.add(route("POST", "/api/v1/staff/resources", resource));
    routes.add(route("PUT", "/api/v1/staff/resources/:id", resource));
    routes.add(route("POST", "/api/v1/staff/resource-categories", List.of(TextRule.line("code", "コード", 60),
        TextRule.line("name", "カテゴリ名", 60), TextRule.line("parent", "親カテゴリ", 60),
        TextRule.line("openDataSet", "オープンデータの区分", 40))));
    routes.add(route("POST", "/api/v1/staff/resource-tags", List.of(TextRule.line("name", "タグ", 30))));
    // ここのーと (the family notebook)
    routes.add(route("POST", "/api/v1/patients/:patientId/family/invitations", List.of(
        TextRule.line("email", "メールアドレス", 254), TextRule.line("name", "お名前", 60),
        TextRule.line("relation", "続柄", 20), TextRule.line("consentBy", "同意した方", 60),
        TextRule.line("consentAt", "同意した日", 10))));
    routes.add(route("POST", "/api/v1/family/auth/activation", List.of(TextRule.line("code", "登録コード", 32),
        TextRule.secret("password", "パスワード", 128))));
    routes.add(route("POST", "/api/v1/family/auth/login", List.of(TextRule.line("loginId", "ログインID", 32),
        TextRule.secret("password", "パスワード", 128), TextRule.line("code", "確認コード", 12))));
    routes.add(route("POST", "/api/v1/patients/:patientId/family/visits", List.of(TextRule.line("date", "訪問日", 10),
        TextRule.line("from", "開始時刻", 5), TextRule.line("to", "終了時刻", 5), TextRule.line("profession", "職種", 40))));
    routes.add(route("POST", "/api/v1/family/notebook/meetings/:meetingId/response",
        List.of(TextRule.line("response", "出欠", 10))));
    routes.add(route("POST", "/api/v1/family/notebook/entries", List.of(TextRule.line("kind", "種類", 10),
        TextRule.lines("body", "内容", 2000))));
    Map<String, Route> byKey = new LinkedHashMap<>();
    routes.forEach(r -> byKey.put(r.key(), r));
    return byKey;
  }

  private static Route route(String method, String path, List<TextRule> fields) {
    return new Route(method, path, fields);
  }

  @SafeVarargs
  private static List<TextRule> concat(List<TextRule>... lists) {
    return Stream.of(lists).flatMap(List::stream).toList();
  }
}
