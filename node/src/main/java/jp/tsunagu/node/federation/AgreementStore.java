package jp.tsunagu.node.federation;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.AgreementReport;
import jp.tsunagu.federation.agreement.AgreementSet;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agreements this node is party to, with their history: every imported version and every
 * withdrawal, in SQLite, and the {@link AgreementSet} that follows from them in memory. A change is
 * validated first, then committed, and only then becomes the current set, so a refused document or
 * a failed write leaves everything as it was. Changes run one after another.
 */
public final class AgreementStore {

  private static final Logger LOG = LoggerFactory.getLogger(AgreementStore.class);

  /** The result of an import or withdrawal: the version's report afterwards, and whether it is new. */
  public record Outcome(AgreementReport report, boolean created, boolean changed) {}

  private final Database database;
  private final NodeIdentity local;
  private final Clock clock;
  private final AtomicReference<AgreementSet> current;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private Future<?> lastChange = Future.succeededFuture();

  private AgreementStore(Database database, NodeIdentity local, Clock clock, AgreementSet loaded) {
    this.database = database;
    this.local = local;
    this.clock = clock;
    this.current = new AtomicReference<>(loaded);
  }

  /** Rebuilds the set from the database; called once at start-up, before any listener serves. */
  public static AgreementStore load(Database database, NodeIdentity local, Clock clock) {
    AgreementStore store = new AgreementStore(database, local, clock, read(database));
    // On an instance of a clustered node, agreements imported or withdrawn on the leader arrive as
    // rows: this instance's trust (whom its federation listener admits) follows them.
    database.onReplicated(tables -> {
      if (tables.contains("agreement_versions") || tables.contains("agreement_withdrawals")) {
        store.serially(() -> database.read(AgreementSql::loadAll).map(stored -> {
          store.publish(restoreAll(stored));
          return null;
        }));
      }
    });
    return store;
  }

  private static AgreementSet read(Database database) {
    return restoreAll(database.submitRead(AgreementSql::loadAll).join());
  }

  private static AgreementSet restoreAll(AgreementSql.Stored stored) {
    AgreementSet set = AgreementSet.empty();
    for (String text : stored.documents()) {
      set = restore(set, () -> AgreementDocument.parse(text), AgreementSet::add);
    }
    for (String text : stored.withdrawals()) {
      set = restore(set, () -> WithdrawalStatement.parse(text), AgreementSet::withdraw);
    }
    LOG.info("{} agreement versions and {} withdrawals loaded", set.size(), set.withdrawals().size());
    return set;
  }

  /**
   * A stored row verified when it was imported. Should it no longer (a damaged file), it is left
   * out: trusting less is the safe side, and the log says which one.
   */
  private static <T> AgreementSet restore(AgreementSet set, Supplier<T> parse,
      java.util.function.BiFunction<AgreementSet, T, AgreementSet> apply) {
    try {
      return apply.apply(set, parse.get());
    } catch (ProtocolException e) {
      LOG.error("a stored agreement record no longer verifies and is ignored: {}", e.toString());
      return set;
    }
  }

  /** The set as of the last committed change. */
  public AgreementSet current() {
    return current.get();
  }

  /** This node's identity, as agreements must name it. */
  public NodeIdentity local() {
    return local;
  }

  /**
   * Runs after every committed change (e.g. to reload the federation listener's trust). A verticle that
   * registers one at its start gives it back at its stop ({@link #removeListener}): a clustered node's
   * leader-only verticles start again at every election of this instance.
   */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Stops running {@code listener} (the same instance given to {@link #onChange}). */
  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  /** How many listeners run after a change: what the verticles' stops must bring back down. */
  public int listenerCount() {
    return listeners.size();
  }

  /** Verifies and stores an agreement document (JWS JSON general serialization). */
  public Future<Outcome> importDocument(String text) {
    return serially(() -> {
      Instant now = clock.instant();
      AgreementImport checked = AgreementImport.check(current.get(), text, local, now);
      if (!checked.changed()) {
        return Future.succeededFuture(new Outcome(checked.report(), false, false));
      }
      AgreementDocument document = checked.document();
      String action = checked.created() ? "imported" : "signatures-added";
      return database.write(connection -> {
        AgreementSql.saveVersion(connection, document, now);
        AgreementSql.appendHistory(connection, now, action, document.agreement().id(), document.agreement().version(),
            document.sha256(), "signed by " + String.join(", ", document.signedBy()));
        return null;
      }).map(committed -> {
        publish(checked.candidate());
        LOG.info("agreement {} version {} {} ({}), status {}", document.agreement().id(),
            document.agreement().version(), action, document.sha256(), checked.report().status().wireName());
        return new Outcome(checked.report(), checked.created(), true);
      });
    });
  }

  /** Verifies and stores a withdrawal statement; it takes effect at once. */
  public Future<Outcome> withdraw(String text) {
    return serially(() -> {
      Instant now = clock.instant();
      WithdrawalImport checked = WithdrawalImport.check(current.get(), text, now);
      if (!checked.changed()) {
        return Future.succeededFuture(new Outcome(checked.report(), false, false));
      }
      WithdrawalStatement statement = checked.statement();
      return database.write(connection -> {
        AgreementSql.saveWithdrawal(connection, statement, now);
        AgreementSql.appendHistory(connection, now, "withdrawal", statement.agreementId(),
            statement.agreementVersion(), statement.agreementSha256(), statement.node() + " withdrew at "
                + statement.withdrawnAt());
        return null;
      }).map(committed -> {
        publish(checked.candidate());
        LOG.info("{} withdrew from agreement {} version {}", statement.node(), statement.agreementId(),
            statement.agreementVersion());
        return new Outcome(checked.report(), true, true);
      });
    });
  }

  /** When each stored version was first imported and last given signatures. */
  Future<List<AgreementSql.VersionRow>> versionRows() {
    return database.read(AgreementSql::versions);
  }

  private void publish(AgreementSet next) {
    current.set(next);
    listeners.forEach(Runnable::run);
  }

  /**
   * Each change validates against the set the previous change left, so two imports at once
   * cannot both build on the same old set and lose one.
   */
  private synchronized <T> Future<T> serially(Supplier<Future<T>> change) {
    Future<T> result = lastChange.transform(previous -> {
      try {
        return change.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
    lastChange = result.recover(failure -> Future.succeededFuture());
    return result;
  }
}
