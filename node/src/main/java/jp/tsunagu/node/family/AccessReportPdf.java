package jp.tsunagu.node.family;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.pdf.PdfLines;

/** The printed monthly access report, for a patient who has no phone: the same facts as the screen. */
final class AccessReportPdf {

  private static final float TITLE = 16;
  private static final float BODY = 11;

  private AccessReportPdf() {}

  static byte[] render(JapanesePdfFont font, JsonObject report) {
    try {
      return PdfLines.render(font, pdf -> write(pdf, report));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(PdfLines pdf, JsonObject report) throws IOException {
    String[] ym = report.getString("month").split("-");
    pdf.line("あなたの記録を見た人（" + ym[0] + "年" + Integer.parseInt(ym[1]) + "月）", TITLE);
    pdf.gap(8);
    if (report.getJsonArray("viewers").isEmpty()) {
      pdf.wrapped("この月に記録を見た人はいません。", BODY);
    }
    for (Object o : report.getJsonArray("viewers")) {
      JsonObject v = (JsonObject) o;
      pdf.wrapped(v.getString("description") + "（" + v.getString("facility") + "）　" + v.getInteger("count")
          + "回", BODY);
      pdf.wrapped("日: " + String.join("、", v.getJsonArray("days").stream().map(Object::toString).toList()), BODY - 1,
          16);
    }
    pdf.gap(8);
    pdf.line("緊急時の閲覧", TITLE - 2);
    if (report.getJsonArray("emergencyAccesses").isEmpty()) {
      pdf.wrapped("ありません。", BODY);
    }
    for (Object o : report.getJsonArray("emergencyAccesses")) {
      JsonObject e = (JsonObject) o;
      pdf.wrapped(e.getString("day") + "　" + e.getString("by") + "　理由: " + e.getString("reason"), BODY);
    }
    pdf.gap(8);
    pdf.line("記録の写しを持つ連携先のノード", TITLE - 2);
    pdf.wrapped(report.getJsonArray("replicaNodes").isEmpty() ? "ありません。"
        : String.join("、", report.getJsonArray("replicaNodes").stream().map(Object::toString).toList()), BODY);
    JsonArray unanswered = report.getJsonArray("unanswered", new JsonArray());
    if (!unanswered.isEmpty()) {
      // A partner that did not answer: its professionals' reads on its copy are missing above, and the reader should know.
      pdf.wrapped("次の連携先からは閲覧の記録を受け取れませんでした（上の表に含まれていません）: " + String.join("、",
          unanswered.stream().map(u -> ((JsonObject) u).getString("node")).toList()), BODY);
    }
  }
}
