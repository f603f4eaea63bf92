package jp.tsunagu.node.care.replication;

import jp.tsunagu.node.errors.CodedException;

/**
 * A team event the home node refuses (or a member node cannot apply), with a stable code: answered
 * as a rejection on the federation listener, and stored so that the same event sent again gets the same
 * answer.
 */
public final class SyncRejection extends CodedException {

  public SyncRejection(String code, String message) {
    super(Kind.REJECTED, code, message);
  }

  public static SyncRejection malformed(String message) {
    return new SyncRejection("sync.event_malformed", message);
  }
}
