package jp.tsunagu.node.web.idempotency;

import java.util.Optional;

/**
 * A key row as a retry finds it: the fingerprint of the request that made it and, once the route
 * answered, that answer (empty while unknown: still being answered, or lost in a crash after the
 * create committed). {@code answerKept} is false for an answer that may be shown only once.
 */
record StoredKey(String fingerprint, boolean answerKept, Optional<Answer> answer) {

  /** A route's answer as the client got it. */
  record Answer(int status, String contentType, String body) {}
}
