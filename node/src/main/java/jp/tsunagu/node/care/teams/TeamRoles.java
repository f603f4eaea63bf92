package jp.tsunagu.node.care.teams;

import java.util.List;

/** The roles a member has in a patient's care team or in a group, as professionals name them. */
public final class TeamRoles {

  public static final List<String> PATIENT = List.of("主治医", "副主治医", "歯科医師", "薬剤師", "訪問看護", "ケアマネジャー",
      "訪問介護", "訪問リハビリ", "通所サービス", "福祉用具", "地域包括支援センター", "医療ソーシャルワーカー", "管理栄養士",
      "行政", "その他");
  static final List<String> GROUP = List.of("管理者", "メンバー");

  private TeamRoles() {}

  static List<String> of(BoardKind kind) {
    return kind == BoardKind.PATIENT ? PATIENT : GROUP;
  }
}
