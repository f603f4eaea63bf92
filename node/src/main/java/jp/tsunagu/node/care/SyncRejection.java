package jp.tsunagu.node.care;

import jp.tsunagu.node.web.ApiException;

/**
 * A team event the home node refuses (or a member node cannot apply), with a stable code: answered
 * as 422 on the federation listener, and stored so that the same event sent again gets the same
 * answer.
 */
public final class SyncRejection extends ApiException {

  public SyncRejection(String code, String message) {
    super(422, code, message);
  }

  public static SyncRejection malformed(String message) {
    return new SyncRejection("sync.event_malformed", message);
  }
}
