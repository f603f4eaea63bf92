package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.pdf.PdfLines;

/**
 * The handover sheet as an A4 PDF in the embedded Japanese font: what a doctor at the receiving
 * hospital reads first (the 人生会議 and allergies) near the top, under clear headings.
 */
final class HandoverPdf {

  private static final float TITLE = 20;
  private static final float HEADING = 14;
  private static final float BODY = 11;
  private static final Map<String, String> SEX = Map.of("female", "女", "male", "男", "other", "その他");

  private HandoverPdf() {}

  static byte[] render(JapanesePdfFont font, JsonObject sheet) {
    try {
      return PdfLines.render(font, pdf -> write(pdf, sheet));
    } catch (IOException e) {
      throw HandoverErrors.pdfFailed();
    }
  }

  private static void write(PdfLines pdf, JsonObject sheet) throws IOException {
    JsonObject p = sheet.getJsonObject("patient");
    JsonObject access = sheet.getJsonObject("access");
    pdf.line(HandoverSheet.TITLE, TITLE);
    pdf.wrapped("搬送先: " + sheet.getString("hospital") + "　作成: " + sheet.getString("madeAtShown") + "（"
        + sheet.getString("madeBy") + "）", BODY);
    section(pdf, "出場情報", "出場番号: " + access.getString("dispatchNumber") + "\n閲覧の理由: "
        + access.getString("reason") + "\n救急隊員: " + access.getString("responder") + "\n緊急閲覧の日時: "
        + access.getString("openedAtShown"));
    section(pdf, "本人の基本情報", "氏名: " + p.getString("name") + "（" + p.getString("kana") + "）\n生年月日: "
        + p.getString("birthDate") + "　性別: " + SEX.getOrDefault(p.getString("sex"), p.getString("sex"))
        + "\n住所: " + p.getString("address") + "\n電話: " + text(p.getString("phone")));
    section(pdf, "人生会議（ACP）", acp(sheet.getJsonObject("acp")));
    section(pdf, "アレルギー", text(p.getString("allergies")));
    section(pdf, "服薬中の薬", text(p.getString("medications")));
    section(pdf, "病歴・既往歴", text(p.getString("medicalHistory")));
    section(pdf, "要介護度", text(p.getString("careLevel")));
    section(pdf, "かかりつけ医", text(p.getString("familyDoctor")));
    section(pdf, "家族・緊急連絡先", text(p.getString("emergencyContacts")));
    JsonObject v = p.getJsonObject("latestVitals");
    section(pdf, "最新のバイタル", v == null ? "記録なし" : v.getString("summary") + "（" + v.getString("measuredAt")
        + " 測定）");
    section(pdf, "支援チーム", team(p.getJsonArray("team")));
    section(pdf, "情報提供への同意", sheet.getJsonObject("consent").getString("label"));
    pdf.gap(12);
    pdf.wrapped("この引き継ぎ情報は、救急隊が緊急閲覧した内容を作成時点で写したものです。作成は記録され、本人の支援チームに通知されています。",
        BODY - 2);
  }

  private static void section(PdfLines pdf, String heading, String body) throws IOException {
    pdf.gap(8);
    pdf.keepRoom(HEADING * 4);
    pdf.line(heading, HEADING);
    pdf.rule();
    pdf.wrapped(body, BODY);
  }

  private static String acp(JsonObject acp) {
    if (acp == null) {
      return "記録なし";
    }
    String proxy = text(acp.getString("proxyName")) + (acp.getString("proxyRelation", "").isEmpty() ? ""
        : "（" + acp.getString("proxyRelation") + "）") + (acp.getString("proxyPhone", "").isEmpty() ? ""
        : " " + acp.getString("proxyPhone"));
    return "延命治療・心肺蘇生: " + acp.getString("resuscitationLabel")
        + (acp.getString("resuscitationNote", "").isEmpty() ? "" : "\n補足: " + acp.getString("resuscitationNote"))
        + "\n希望する医療・ケア: " + text(acp.getString("wishes")) + "\n代理意思決定者: " + proxy
        + "\n話し合いの参加者: " + text(acp.getString("participants")) + "\n最終確認日: "
        + text(acp.getString("confirmedOn")) + "（第" + acp.getInteger("version") + "版）";
  }

  private static String team(JsonArray team) {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < team.size(); i++) {
      JsonObject m = team.getJsonObject(i);
      lines.append(i == 0 ? "" : "\n").append(m.getString("teamRole")).append(": ").append(m.getString("name"))
          .append("（").append(text(m.getString("profession"))).append("・").append(text(m.getString("facility")))
          .append("）");
    }
    return lines.isEmpty() ? "記録なし" : lines.toString();
  }

  private static String text(String value) {
    return value == null || value.isBlank() ? "記録なし" : value;
  }
}
