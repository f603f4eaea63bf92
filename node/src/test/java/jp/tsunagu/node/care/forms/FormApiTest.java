package jp.tsunagu.node.care.forms;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;

/**
 * The forms API: templates, filling in for a patient, reading back, print view and PDF, editing
 * with every version kept, refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FormApiTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient outsider;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-forms", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-forms", "宮坂", "由美", "nurse", bed.nursingStation);
    outsider = bed.professional("dr-forms-other", "小松", "誠", "doctor", bed.clinic);
    patient = FormSamples.patientWithNurse(doctor, nurse, CareApiTest.patient("春日", "トメ", "カスガ", "トメ", "1931-05-12"));
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private CareClient.Reply submit(CareClient who, String template, JsonObject values) {
    return who.post("/api/v1/patients/" + patient + "/forms",
        new JsonObject().put("template", template).put("values", values));
  }

  /** Creates the form, checks it on the timeline and reads it back; returns the post id. */
  private String createAndReadBack(CareClient author, CareClient reader, String template, JsonObject values,
      String title) {
    CareClient.Reply created = submit(author, template, values);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject post = created.json();
    assertThat(post.getString("kind")).isEqualTo("form");
    assertThat(post.getString("category")).isEqualTo("書類");
    assertThat(post.getString("formType")).isEqualTo(template);
    assertThat(post.getString("body")).startsWith(title);
    String id = post.getString("id");
    JsonArray timeline = reader.get("/api/v1/patients/" + patient + "/posts").json().getJsonArray("posts");
    assertThat(timeline.stream().map(p -> ((JsonObject) p).getString("id"))).contains(id);
    CareClient.Reply read = reader.get("/api/v1/posts/" + id + "/form");
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().getJsonObject("template").getString("title")).isEqualTo(title);
    assertThat(read.json().getString("patientId")).isEqualTo(patient);
    return id;
  }

  private long audited(String action, String postId) throws Exception {
    return bed.audited(action, "post:" + postId);
  }

  private int timelineSize() {
    return doctor.get("/api/v1/patients/" + patient + "/posts").json().getJsonArray("posts").size();
  }

  private static String pdfText(HttpResponse<byte[]> pdf) throws Exception {
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
    try (PDDocument document = Loader.loadPDF(pdf.body())) {
      return new PDFTextStripper().getText(document);
    }
  }

  @Test
  void the_templates_list_the_three_forms_with_the_sections_of_the_official_forms() {
    JsonArray templates = nurse.get("/api/v1/care/form-templates").json().getJsonArray("templates");
    assertThat(templates.stream().map(t -> ((JsonObject) t).getString("title")))
        .containsExactly("主治医意見書", "訪問看護指示書", "訪問看護報告書");
    assertThat(sections(templates.getJsonObject(0))).contains("1. 傷病に関する意見", "2. 特別な医療（過去14日間以内に受けた医療）",
        "3. 心身の状態に関する意見", "4. 生活機能とサービスに関する意見", "5. 特記すべき事項");
    assertThat(sections(templates.getJsonObject(1))).contains("指示期間", "主たる傷病名", "現在の状況",
        "留意事項及び指示事項", "緊急時の連絡先", "特記すべき留意事項");
    assertThat(sections(templates.getJsonObject(2))).contains("訪問日", "病状の経過", "看護の内容", "家庭での介護の状況",
        "衛生材料等の使用量および使用状況", "特記すべき事項");
    JsonObject firstField = templates.getJsonObject(0).getJsonArray("sections").getJsonObject(1).getJsonArray("fields")
        .getJsonObject(0);
    assertThat(firstField.getString("label")).isEqualTo("診断名（1）");
    assertThat(firstField.getString("kind")).isEqualTo("text");
    assertThat(firstField.getBoolean("required")).isTrue();
  }

  private static List<String> sections(JsonObject template) {
    return template.getJsonArray("sections").stream().map(s -> ((JsonObject) s).getString("title")).toList();
  }

  @Test
  void a_doctors_opinion_for_care_certification_is_stored_on_the_timeline_and_read_back_audited() throws Exception {
    String id = createAndReadBack(doctor, nurse, FormSamples.IKENSHO, FormSamples.ikensho(), "主治医意見書");
    JsonObject values = nurse.get("/api/v1/posts/" + id + "/form").json().getJsonObject("values");
    assertThat(values.getString("diagnosis_1")).isEqualTo("アルツハイマー型認知症");
    assertThat(values.getString("dementia_level")).isEqualTo("Ⅱb");
    // Ticked boxes come back in the form's order; an empty list is no answer.
    assertThat(values.getJsonArray("other_departments")).containsExactly("整形外科", "眼科");
    assertThat(values.containsKey("treatments")).isFalse();
    assertThat(audited("care.form.read", id)).isEqualTo(2);
  }

  @Test
  void a_home_nursing_instruction_is_stored_on_the_timeline_and_read_back() {
    String id = createAndReadBack(doctor, nurse, FormSamples.SHIJISHO, FormSamples.shijisho(), "訪問看護指示書");
    JsonObject post = nurse.get("/api/v1/posts/" + id).json();
    assertThat(post.getString("body")).contains("主たる傷病名（1）：慢性心不全");
    assertThat(post.getJsonObject("form").getJsonObject("values").getString("period_end")).isEqualTo("2025-11-30");
  }

  @Test
  void a_home_nursing_report_is_stored_on_the_timeline_and_read_back() {
    String id = createAndReadBack(nurse, doctor, FormSamples.HOUKOKUSHO, FormSamples.houkokusho(), "訪問看護報告書");
    JsonObject values = doctor.get("/api/v1/posts/" + id + "/form").json().getJsonObject("values");
    assertThat(values).isEqualTo(FormSamples.houkokusho());
  }

  @Test
  void bad_form_input_is_refused_with_its_code_and_nothing_is_stored() {
    int before = timelineSize();
    assertThat(submit(doctor, "kaigo_keikakusho", FormSamples.houkokusho()).code()).isEqualTo("form.unknown_template");
    assertThat(doctor.post("/api/v1/patients/" + patient + "/forms", new JsonObject().put("values",
        FormSamples.houkokusho())).code()).isEqualTo("form.unknown_template");
    assertThat(submit(doctor, FormSamples.HOUKOKUSHO, FormSamples.houkokusho().put("course", "  ")).code())
        .isEqualTo("form.field_required");
    JsonObject missing = FormSamples.ikensho();
    missing.remove("diagnosis_1");
    CareClient.Reply required = submit(doctor, FormSamples.IKENSHO, missing);
    assertThat(required.status()).isEqualTo(400);
    assertThat(required.code()).isEqualTo("form.field_required");
    assertThat(required.json().getString("message")).contains("診断名（1）");
    assertThat(submit(doctor, FormSamples.HOUKOKUSHO, FormSamples.houkokusho().put("course", "あ".repeat(4001))).code())
        .isEqualTo("form.field_too_long");
    assertThat(submit(doctor, FormSamples.SHIJISHO, FormSamples.shijisho().put("period_start", "2025-02-30")).code())
        .isEqualTo("form.field_invalid");
    assertThat(submit(doctor, FormSamples.SHIJISHO, FormSamples.shijisho().put("period_end", "2025-05-01")).code())
        .as("the end of the period before its start").isEqualTo("form.field_invalid");
    assertThat(submit(doctor, FormSamples.IKENSHO, FormSamples.ikensho().put("stability", "まあまあ")).code())
        .isEqualTo("form.field_invalid");
    assertThat(submit(doctor, FormSamples.IKENSHO, FormSamples.ikensho()
        .put("treatments", new JsonArray().add("点滴の管理").add("手術"))).code()).isEqualTo("form.field_invalid");
    assertThat(submit(doctor, FormSamples.IKENSHO, FormSamples.ikensho().put("diagnosis_1", 42)).code())
        .isEqualTo("form.field_invalid");
    assertThat(submit(doctor, FormSamples.IKENSHO, FormSamples.ikensho().put("diagnosis_1", "一行目\n二行目")).code())
        .as("a one-line field").isEqualTo("form.field_invalid");
    assertThat(submit(doctor, FormSamples.IKENSHO, FormSamples.ikensho().put("password", "x")).code())
        .isEqualTo("form.field_unknown");
    assertThat(timelineSize()).isEqualTo(before);
  }

  @Test
  void a_non_member_gets_404_for_the_form_its_print_view_and_its_pdf_and_cannot_file_one() throws Exception {
    String id = createAndReadBack(doctor, nurse, FormSamples.SHIJISHO, FormSamples.shijisho(), "訪問看護指示書");
    for (String path : List.of("/api/v1/posts/" + id + "/form", "/api/v1/posts/" + id + "/print",
        "/api/v1/posts/" + id + "/pdf")) {
      CareClient.Reply reply = outsider.get(path);
      assertThat(reply.status()).as(path).isEqualTo(404);
      assertThat(reply.code()).as(path).isEqualTo("care.not_found");
    }
    assertThat(submit(outsider, FormSamples.SHIJISHO, FormSamples.shijisho()).code()).isEqualTo("care.not_found");
    assertThat(audited("care.form.pdf", id)).as("the refusal leaves a trace").isEqualTo(1);
  }

  @Test
  void a_note_or_a_deleted_form_has_no_form_print_view() {
    String note = doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "往診しました")).json().getString("id");
    assertThat(doctor.get("/api/v1/posts/" + note + "/print").status()).isEqualTo(404);
    String id = createAndReadBack(nurse, doctor, FormSamples.HOUKOKUSHO, FormSamples.houkokusho(), "訪問看護報告書");
    assertThat(nurse.delete("/api/v1/posts/" + id).status()).isEqualTo(204);
    assertThat(doctor.get("/api/v1/posts/" + id + "/print").status()).isEqualTo(404);
    assertThat(doctor.download("/api/v1/posts/" + id + "/pdf").statusCode()).isEqualTo(404);
  }

  @Test
  void the_print_view_is_escaped_html_with_every_section_and_the_patient() {
    String id = createAndReadBack(nurse, doctor, FormSamples.HOUKOKUSHO, FormSamples.houkokusho()
        .put("remarks", "<script>alert('x')</script> 要確認"), "訪問看護報告書");
    CareClient.Reply page = doctor.get("/api/v1/posts/" + id + "/print");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>訪問看護報告書</h1>").contains("春日 トメ 様").contains("<h2>病状の経過</h2>")
        .contains("<h2>衛生材料等の使用量および使用状況</h2>").contains("宮坂 由美").contains("/assets/form-print.css")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; 要確認").doesNotContain("<script>");
  }

  @Test
  void the_pdf_embeds_a_japanese_font_and_reads_back_the_section_headings_and_the_patients_name() throws Exception {
    String id = createAndReadBack(doctor, nurse, FormSamples.IKENSHO, FormSamples.ikensho(), "主治医意見書");
    String text = pdfText(nurse.download("/api/v1/posts/" + id + "/pdf"));
    assertThat(text).contains("主治医意見書").contains("春日 トメ 様").contains("1. 傷病に関する意見")
        .contains("2. 特別な医療").contains("3. 心身の状態に関する意見").contains("4. 生活機能とサービスに関する意見")
        .contains("5. 特記すべき事項").contains("アルツハイマー型認知症").contains("北原 健一");
    assertThat(audited("care.form.pdf", id)).isEqualTo(1);
  }

  @Test
  void a_long_form_runs_onto_further_pdf_pages_with_nothing_lost() throws Exception {
    JsonObject values = FormSamples.houkokusho().put("course", "経過良好。".repeat(700)).put("nursing",
        "清拭と保湿。".repeat(600) + "最終行の記載");
    String id = createAndReadBack(nurse, doctor, FormSamples.HOUKOKUSHO, values, "訪問看護報告書");
    HttpResponse<byte[]> pdf = doctor.download("/api/v1/posts/" + id + "/pdf");
    try (PDDocument document = Loader.loadPDF(pdf.body())) {
      assertThat(document.getNumberOfPages()).isGreaterThan(2);
      assertThat(new PDFTextStripper().getText(document)).contains("最終行の記載").contains("特記すべき事項");
    }
  }

  @Test
  void without_a_system_font_a_form_pdf_is_written_in_the_font_the_jar_carries() throws Exception {
    JapanesePdfFont font = JapanesePdfFont.find(dir.resolve("no-fonts-here"));
    assertThat(font.systemFile()).isEmpty();
    FormDocument document = new FormDocument("訪問看護報告書", List.of(new FormDocument.Entry("氏名", "竹松 キヨ")),
        List.of(new FormDocument.Section("病状の経過", List.of(new FormDocument.Entry("経過", "同梱フォントで印字")))),
        List.of());
    try (PDDocument pdf = Loader.loadPDF(FormPdf.render(font, document))) {
      assertThat(new PDFTextStripper().getText(pdf)).contains("訪問看護報告書").contains("竹松 キヨ")
          .contains("同梱フォントで印字");
    }
  }

  // Editing a filed form, as post edits work: only its author, each version kept (answers included)
  // and readable by the members, the print view and the PDF at the current version unless asked.

  private String report(CareClient author) {
    CareClient.Reply created = author.post("/api/v1/patients/" + patient + "/forms",
        new JsonObject().put("template", FormSamples.HOUKOKUSHO).put("values", FormSamples.houkokusho()));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().getString("id");
  }

  private CareClient.Reply edit(CareClient who, String id, JsonObject values) {
    return who.put("/api/v1/posts/" + id + "/form", new JsonObject().put("values", values));
  }

  @Test
  void the_author_edits_a_report_and_members_read_the_new_answers_and_every_version() throws Exception {
    String id = report(nurse);
    JsonObject changed = FormSamples.houkokusho().put("course", "6/20より仙骨部の発赤は消失。血圧も安定。")
        .put("remarks", "次回の担当者会議で報告します。");
    CareClient.Reply edited = edit(nurse, id, changed);
    assertThat(edited.status()).as(edited.body()).isEqualTo(200);
    assertThat(edited.json().getInteger("version")).isEqualTo(2);
    assertThat(edited.json().getString("editedAt")).isNotNull();
    assertThat(edited.json().getString("body")).contains("病状の経過：6/20より仙骨部の発赤は消失");
    assertThat(edited.json().getString("category")).isEqualTo("書類");

    JsonObject current = doctor.get("/api/v1/posts/" + id + "/form").json();
    assertThat(current.getJsonObject("values")).isEqualTo(changed);
    assertThat(current.getInteger("version")).isEqualTo(2);
    assertThat(current.getInteger("latestVersion")).isEqualTo(2);
    JsonObject onTimeline = doctor.get("/api/v1/patients/" + patient + "/posts").json().getJsonArray("posts")
        .stream().map(JsonObject.class::cast).filter(p -> p.getString("id").equals(id)).findFirst().orElseThrow();
    assertThat(onTimeline.getInteger("version")).isEqualTo(2);
    assertThat(onTimeline.getString("editedAt")).isNotNull();

    JsonArray versions = doctor.get("/api/v1/posts/" + id + "/versions").json().getJsonArray("versions");
    assertThat(versions).hasSize(2);
    assertThat(versions.getJsonObject(0).getJsonObject("form").getJsonObject("values"))
        .isEqualTo(FormSamples.houkokusho());
    assertThat(versions.getJsonObject(1).getJsonObject("form").getJsonObject("values")).isEqualTo(changed);
    JsonObject first = doctor.get("/api/v1/posts/" + id + "/form?version=1").json();
    assertThat(first.getJsonObject("values")).isEqualTo(FormSamples.houkokusho());
    assertThat(first.getString("print")).endsWith("/print?version=1");

    String print = doctor.get("/api/v1/posts/" + id + "/print").body();
    assertThat(print).contains("6/20より仙骨部の発赤は消失").doesNotContain("6/16に仙骨部発赤あり").contains("第2版（最新）");
    String oldPrint = doctor.get("/api/v1/posts/" + id + "/print?version=1").body();
    assertThat(oldPrint).contains("6/16に仙骨部発赤あり").contains("第1版（最新は第2版）")
        .contains("/api/v1/posts/" + id + "/pdf?version=1");
    String pdf = pdfText(doctor.download("/api/v1/posts/" + id + "/pdf"));
    assertThat(pdf).contains("6/20より仙骨部の発赤は消失").contains("次回の担当者会議で報告します").doesNotContain("6/16に");
    assertThat(pdfText(doctor.download("/api/v1/posts/" + id + "/pdf?version=1"))).contains("6/16に仙骨部発赤あり");
    assertThat(audited("care.form.edited", id)).isEqualTo(1);
  }

  @Test
  void only_the_author_may_edit_and_bad_answers_change_nothing() {
    String id = report(nurse);
    CareClient.Reply notAuthor = edit(doctor, id, FormSamples.houkokusho().put("course", "医師による書き換え"));
    assertThat(notAuthor.status()).isEqualTo(403);
    assertThat(notAuthor.code()).isEqualTo("care.not_author");
    CareClient.Reply outside = edit(outsider, id, FormSamples.houkokusho());
    assertThat(outside.status()).isEqualTo(404);
    assertThat(outside.code()).isEqualTo("care.not_found");
    assertThat(edit(nurse, id, FormSamples.houkokusho().put("course", " ")).code()).isEqualTo("form.field_required");
    assertThat(edit(nurse, id, FormSamples.houkokusho().put("period_end", "2025-05-01")).code())
        .isEqualTo("form.field_invalid");
    assertThat(edit(nurse, id, FormSamples.houkokusho().put("diagnosis_1", "別様式の項目")).code())
        .isEqualTo("form.field_unknown");
    assertThat(nurse.put("/api/v1/posts/" + id + "/form", new JsonObject().put("values", "文字列")).code())
        .isEqualTo("validation.malformed");
    assertThat(nurse.put("/api/v1/posts/" + id, new JsonObject().put("category", "書類").put("body", "本文だけ変更"))
        .code()).as("a form's text is its summary").isEqualTo("care.form_post");
    JsonObject stored = doctor.get("/api/v1/posts/" + id + "/form").json();
    assertThat(stored.getInteger("version")).isEqualTo(1);
    assertThat(stored.getJsonObject("values")).isEqualTo(FormSamples.houkokusho());
    assertThat(doctor.get("/api/v1/posts/" + id + "/versions").json().getJsonArray("versions")).hasSize(1);
  }

  @Test
  void a_note_a_deleted_form_or_a_missing_version_has_no_form_to_edit_or_show() {
    String note = doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "往診しました")).json().getString("id");
    assertThat(edit(doctor, note, FormSamples.houkokusho()).code()).isEqualTo("care.not_found");
    String id = report(nurse);
    assertThat(doctor.get("/api/v1/posts/" + id + "/form?version=3").code()).isEqualTo("care.version_not_found");
    assertThat(doctor.get("/api/v1/posts/" + id + "/print?version=abc").status()).isEqualTo(404);
    assertThat(nurse.delete("/api/v1/posts/" + id).status()).isEqualTo(204);
    assertThat(edit(nurse, id, FormSamples.houkokusho()).status()).isEqualTo(404);
    assertThat(doctor.get("/api/v1/posts/" + id + "/versions").status()).as("a deleted post shows no text").isEqualTo(404);
  }

  @Test
  void an_edited_note_keeps_its_versions_for_the_members() {
    String note = doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "明日14時に往診")).json().getString("id");
    assertThat(doctor.put("/api/v1/posts/" + note, new JsonObject().put("category", "受診")
        .put("body", "明日15時に往診（時間変更）")).status()).isEqualTo(200);
    JsonArray versions = nurse.get("/api/v1/posts/" + note + "/versions").json().getJsonArray("versions");
    assertThat(versions.stream().map(v -> ((JsonObject) v).getString("category") + ":" + ((JsonObject) v)
        .getString("body"))).containsExactly("連絡:明日14時に往診", "受診:明日15時に往診（時間変更）");
    assertThat(versions.getJsonObject(0).containsKey("form")).isFalse();
    assertThat(outsider.get("/api/v1/posts/" + note + "/versions").code()).isEqualTo("care.not_found");
  }
}
