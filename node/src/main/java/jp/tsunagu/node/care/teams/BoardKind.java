package jp.tsunagu.node.care.teams;

/** What a board is: a patient's care team timeline, or a group (プロジェクト) not tied to a patient. */
public enum BoardKind {
  PATIENT("patient", "patients"),
  GROUP("group", "groups");

  private final String code;
  private final String path;

  BoardKind(String code, String path) {
    this.code = code;
    this.path = path;
  }

  /** As stored in {@code care_boards.kind}. */
  public String code() {
    return code;
  }

  /** The kind stored as {@code code} in {@code care_boards.kind} (a check constraint admits only these two). */
  public static BoardKind ofCode(String code) {
    return PATIENT.code.equals(code) ? PATIENT : GROUP;
  }

  /** The API path segment, e.g. {@code /patients/:boardId/posts}. */
  public String path() {
    return path;
  }

  public String auditTarget(String boardId) {
    return code + ":" + boardId;
  }
}
