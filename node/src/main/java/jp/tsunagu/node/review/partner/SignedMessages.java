package jp.tsunagu.node.review.partner;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Predicate;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.wire.ReviewExchange;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.Federation;

/**
 * The checks every review message from a partner passes before anything is read from it: the scope
 * with the calling node (checked first, so a partner without it learns nothing more), the signature by
 * a key of the agreement, the signer being the calling node, and the clock window.
 */
final class SignedMessages {

  private final Federation federation;
  private final Predicate<String> granted;

  SignedMessages(Federation federation, Predicate<String> granted) {
    this.federation = federation;
    this.granted = granted;
  }

  <T> T verified(String caller, String compact, Function<TrustStore, T> verify, Function<T, String> signer,
      Function<T, Instant> issuedAt) {
    if (!granted.test(caller)) {
      throw PartnerReviewers.scopeNotGranted();
    }
    T message;
    try {
      message = verify.apply(federation.agreements().current().trustStore(federation.identity().name(),
          federation.clock().instant()));
    } catch (ProtocolException e) {
      throw e.code().endsWith(".malformed") || e.code().endsWith(".version_unsupported")
          ? PartnerErrors.malformed(e.getMessage()) : PartnerErrors.signatureInvalid(e.getMessage());
    }
    if (!signer.apply(message).equals(caller)) {
      throw PartnerErrors.signatureInvalid("signed by " + signer.apply(message) + ", called by " + caller);
    }
    if (Duration.between(issuedAt.apply(message), federation.clock().instant()).abs()
        .compareTo(ReviewExchange.MAX_SKEW) > 0) {
      throw PartnerErrors.stale();
    }
    return message;
  }

  String self() {
    return federation.identity().name();
  }

  static boolean isCoded(Throwable e) {
    return e instanceof CodedException;
  }
}
