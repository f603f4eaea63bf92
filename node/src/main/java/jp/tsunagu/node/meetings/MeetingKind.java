package jp.tsunagu.node.meetings;

import java.util.Optional;
import jp.tsunagu.node.feature.CodedChoice;

/** What a meeting is: the five kinds the seeds' service offers, each with its name on the screens. */
public enum MeetingKind implements CodedChoice {
  CONFERENCE("conference", "カンファレンス"),
  SERVICE_MEETING("service_meeting", "サービス担当者会議"),
  DISCHARGE("discharge", "退院時カンファレンス"),
  COMMUNITY("community", "地域ケア会議"),
  TRAINING("training", "研修・勉強会");

  private final Label label;

  MeetingKind(String code, String labelJa) {
    this.label = new Label(code, labelJa);
  }

  @Override
  public Label label() {
    return label;
  }

  public static Optional<MeetingKind> ofCode(String code) {
    return CodedChoice.byCode(MeetingKind.class, code);
  }
}
