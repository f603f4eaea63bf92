package jp.tsunagu.node.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.federation.audit.AuditCheckpoint;
import jp.tsunagu.federation.backup.BackupKey;
import jp.tsunagu.federation.backup.BackupManifest;
import jp.tsunagu.federation.backup.BackupTarget;
import jp.tsunagu.federation.backup.Generation;
import jp.tsunagu.federation.backup.GenerationWriter;
import jp.tsunagu.node.NodeVersion;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.keys.NodeKeys;

/**
 * Makes one backup of a running node, on the backup thread: takes the target's lock, copies the
 * database with SQLite's online backup, then writes the archive (the copy; an audit checkpoint
 * signed for the copy's last audit row; the node's public identity card; its configuration file; its
 * agreements; with {@code withKeys} its private keys) and the attachments the target does not hold
 * yet, and finally prunes the target by the retention policy. Whatever fails, nothing that looks
 * complete is left behind.
 */
final class BackupJob {

  static final String WORK_DIR = "backup-work";

  private final NodeConfig config;
  private final NodeKeys keys;
  private final Clock clock;

  BackupJob(NodeConfig config, NodeKeys keys, Clock clock) {
    this.config = config;
    this.keys = keys;
    this.clock = clock;
  }

  BackupTarget target() {
    return BackupTarget.of(config.backup().target().orElseThrow(), config.node().name());
  }

  Generation run(BackupRun run, boolean withKeys) {
    NodeConfig.Backup settings = config.backup();
    byte[] recipient = BackupKey.parseRecipient(settings.recipient().orElseThrow());
    BackupTarget target = target();
    Path work = config.dataDir().resolve(WORK_DIR);
    try (BackupTarget.Lock lock = target.lock()) {
      deleteTree(work);
      Files.createDirectories(work);
      run.step("database", Files.size(config.databaseFile()));
      Instant createdAt = freeSecond(target);
      Snapshot snapshot = Snapshot.take(config.databaseFile(), work.resolve("tsunagu.db"), run::progress);
      // Listed right after the copy: every attachment a row of the copy names is on disk by now (files
      // are stored before their row commits).
      List<Path> attachments = attachmentFiles();
      Generation made;
      try (GenerationWriter writer = GenerationWriter.begin(target, lock, recipient, createdAt)) {
        run.step("archive", 0);
        writeArchive(writer, snapshot, createdAt, withKeys);
        run.step("attachments", attachments.size());
        List<BackupManifest.FileEntry> none = List.of();
        ObjectNames names = ObjectNames.of(config.dataDir());
        long done = 0;
        for (Path file : attachments) {
          if (Files.isRegularFile(file)) { // deleted since it was listed: no row of the copy needs it
            String path = config.dataDir().relativize(file).toString().replace('\\', '/');
            writer.addAttachment(path, file, names.of(path), knownHash(path, file));
          }
          run.progress(++done);
        }
        made = writer.finish(new BackupManifest(config.node().name(), createdAt, snapshot.schemaVersion(),
            NodeVersion.get(), withKeys, snapshot.auditHead().seq(), snapshot.auditHead().hash(), snapshot.rowCounts(),
            none, none));
      }
      run.step("pruning", 0);
      Retention retention = new Retention(settings.keepDaily(), settings.keepWeekly(), settings.keepMonthly(),
          settings.zone());
      lock.delete(retention.doomed(target.list()));
      return made;
    } catch (IOException e) {
      throw new CodedException(CodedException.Kind.UNAVAILABLE, "backup.work_failed",
          "the backup's working copy in the data directory could not be written: " + e.getMessage(), null, e);
    } finally {
      deleteTree(work);
    }
  }

  /** The moment of the copy, to the second: a backup is named by it, so a second already named is waited out. */
  private Instant freeSecond(BackupTarget target) {
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    java.util.Set<String> names = new java.util.HashSet<>();
    target.list().forEach(g -> names.add(g.name()));
    while (names.contains(target.nameAt(now))) {
      try {
        Thread.sleep(Math.max(1, now.plusSeconds(1).toEpochMilli() - clock.millis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CodedException(CodedException.Kind.UNAVAILABLE, "backup.interrupted", "the node is stopping");
      }
      now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
    return now;
  }

  private void writeArchive(GenerationWriter writer, Snapshot snapshot, Instant createdAt, boolean withKeys)
      throws IOException {
    writer.addFile("tsunagu.db", snapshot.file());
    if (snapshot.auditHead().seq() > 0) {
      AuditCheckpoint checkpoint = new AuditCheckpoint(config.node().name(), snapshot.auditHead().seq(),
          snapshot.auditHead().hash(), createdAt);
      writer.addBytes(AuditCheckpoint.FILE, checkpoint.sign(keys.identity()).getBytes(StandardCharsets.US_ASCII));
    }
    writer.addFile("identity/node.json", config.identityDir().resolve("node.json"));
    // The public card too: what verifies the checkpoint (and partners' trust) when the keys stay out.
    writer.addBytes("identity/" + AuditChainVerifier.CARD,
        keys.identity().card().toPrettyJson().getBytes(StandardCharsets.UTF_8));
    Optional<Path> configFile = config.backup().configFile();
    if (configFile.isPresent() && Files.isRegularFile(configFile.get())) {
      writer.addFile("config/node.json", configFile.get());
    }
    for (Agreement agreement : agreements(snapshot.file())) {
      writer.addBytes("agreements/" + agreement.id() + "-v" + agreement.version() + ".json",
          agreement.document().getBytes(StandardCharsets.UTF_8));
    }
    if (withKeys) {
      for (Path dir : List.of(config.identityDir().resolve("signing"), config.identityDir().resolve("tls"),
          config.userCaDir())) {
        for (Path file : files(dir)) {
          writer.addFile(config.dataDir().relativize(file).toString().replace('\\', '/'), file);
        }
      }
    }
  }

  /** An original's name is its SHA-256 (content-addressed), so its hash is known without reading it. */
  private static Optional<BackupManifest.FileEntry> knownHash(String path, Path file) throws IOException {
    String name = file.getFileName().toString();
    return name.matches("[0-9a-f]{64}")
        ? Optional.of(new BackupManifest.FileEntry(path, name, Files.size(file), null)) : Optional.empty();
  }

  /**
   * The file stores under the data directory, by their path there: care's attachments and the review
   * board's materials (a store of its own so its deletion can remove each file). A file the review
   * board deletes is gone from every later backup, and its object leaves the target when the last
   * backup that named it is pruned by the retention: the design's limit, since a backup is never edited.
   */
  static final List<String> STORES = List.of("attachments", "review/attachments");

  private List<Path> attachmentFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String store : STORES) {
      for (Path file : files(config.dataDir().resolve(store))) {
        if (!file.getFileName().toString().endsWith(".part")) {
          files.add(file);
        }
      }
    }
    return files;
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private record Agreement(String id, long version, String document) {}

  private static List<Agreement> agreements(Path database) {
    List<Agreement> agreements = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select agreement_id, version, document from agreement_versions"
            + " order by agreement_id, version")) {
      while (rs.next()) {
        if (rs.getString(1).matches("[A-Za-z0-9._-]{1,100}")) {
          agreements.add(new Agreement(rs.getString(1), rs.getLong(2), rs.getString(3)));
        }
      }
    } catch (SQLException e) {
      throw new CodedException(CodedException.Kind.UNAVAILABLE, "backup.snapshot_failed",
          "the agreements could not be read from the database copy: " + e.getMessage(), null, e);
    }
    return agreements;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // what is left is cleared before the next backup
      org.slf4j.LoggerFactory.getLogger(BackupJob.class).warn("cannot clear {}: {}", dir, e.getMessage());
    }
  }
}
