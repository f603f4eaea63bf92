package jp.tsunagu.node.family;

import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagu.node.web.RateWindow;

/**
 * The bounds of the one family door anyone may knock on without a session: the passkey login's
 * options, each of which stores a challenge. An address gets {@value #PER_MINUTE} options a minute
 * and holds at most {@value #OUTSTANDING_PER_ADDRESS} unexpired challenges; the node holds at most
 * {@value #OUTSTANDING_ON_NODE}, so many addresses together cannot fill the database either. A
 * family's real use is one or two a login; the bounds leave room for a care facility whose families
 * share one address. A refusal stores nothing.
 *
 * <p>The registration options sit behind a family session, but each stores a challenge too, so one
 * account (a stolen session, a script left running) gets {@value #REGISTRATIONS_PER_MINUTE} a minute
 * and holds at most {@value #OUTSTANDING_PER_ACCOUNT} unexpired registration challenges: a family
 * registers a phone or two, once. Its refusals are audited once per account and minute, whichever
 * bound refused, so a loop cannot turn into a loop of audit writes.
 */
final class PasskeyDoor {

  static final int PER_MINUTE = 30;
  static final int OUTSTANDING_PER_ADDRESS = 60;
  static final int OUTSTANDING_ON_NODE = 2000;
  static final int REGISTRATIONS_PER_MINUTE = 5;
  static final int OUTSTANDING_PER_ACCOUNT = 3;

  /** Which bound refused a call, as the audit log names it. */
  enum Bound { RATE, ADDRESS, NODE, ACCOUNT }

  private final RateWindow rate;
  private final RateWindow accountRate;
  private final RateWindow accountRefusals;

  PasskeyDoor(Clock clock) {
    this.rate = new RateWindow(clock);
    this.accountRate = new RateWindow(clock);
    this.accountRefusals = new RateWindow(clock);
  }

  /** The caller's address as the listener sees it (the node is reached directly, not through a proxy). */
  static String address(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
  }

  /**
   * Counts one call of the address.
   *
   * @return the address's calls this minute, this one included; above {@link #PER_MINUTE} it is refused
   */
  int counted(String address) {
    return rate.count(address);
  }

  /** Counts one registration options call of the account; above {@link #REGISTRATIONS_PER_MINUTE} it is refused. */
  boolean registrationAllowed(String accountId) {
    return accountRate.allow(accountId, REGISTRATIONS_PER_MINUTE);
  }

  /** Whether this refusal of the account is its first in this minute, the one the audit log records. */
  boolean firstRefusalThisMinute(String accountId) {
    return accountRefusals.count(accountId) == 1;
  }

  /**
   * Stores a registration challenge for the account unless it already holds {@link #OUTSTANDING_PER_ACCOUNT}
   * unexpired ones; inside the single writer like the login's.
   */
  static Optional<Bound> storeRegistration(Connection c, String hash, String accountId, Instant now)
      throws SQLException {
    PasskeySql.forgetExpired(c, now.toString());
    if (PasskeySql.outstandingRegistrations(c, accountId, now.toString()) >= OUTSTANDING_PER_ACCOUNT) {
      return Optional.of(Bound.ACCOUNT);
    }
    PasskeySql.insertChallenge(c, hash, "register", accountId, now.plus(FamilyPasskeys.CHALLENGE_FOR).toString(),
        now.toString());
    return Optional.empty();
  }

  /**
   * Stores a login challenge for the address unless a bound of outstanding challenges is reached; runs
   * inside the node's single writer, so two calls cannot both take the last place.
   */
  static Optional<Bound> store(Connection c, String hash, String address, Instant now) throws SQLException {
    PasskeySql.forgetExpired(c, now.toString());
    if (PasskeySql.outstandingLogins(c, null, now.toString()) >= OUTSTANDING_ON_NODE) {
      return Optional.of(Bound.NODE);
    }
    if (PasskeySql.outstandingLogins(c, address, now.toString()) >= OUTSTANDING_PER_ADDRESS) {
      return Optional.of(Bound.ADDRESS);
    }
    PasskeySql.insertLoginChallenge(c, hash, address, now.plus(FamilyPasskeys.CHALLENGE_FOR).toString());
    return Optional.empty();
  }
}
