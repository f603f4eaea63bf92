package jp.tsunagu.node.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The node's whole configuration, loaded once at start-up and passed through constructors.
 * Immutable: a change of configuration is a restart.
 */
public record NodeConfig(
    NodeSection node,
    Path dataDir,
    Listener web,
    Federation federation,
    Listener admin,
    Tls tls,
    Limits limits,
    Storage storage,
    Session session,
    Log log,
    Mail mail,
    Maps map,
    Backup backup,
    Sensors sensors,
    Optional<URI> webPublicUrl,
    boolean demo,
    Meetings meetings,
    Review review,
    Optional<Cluster> cluster) {

  /** Who this node is: its name and the municipalities it serves (6-digit codes, check digit verified). */
  public record NodeSection(String name, String displayName, List<String> municipalities) {
    public NodeSection {
      municipalities = List.copyOf(municipalities);
    }
  }

  /** A listening socket. */
  public record Listener(String host, int port) {}

  /**
   * The federation listener and the endpoint partners reach it at; {@code endpointConfigured} is false
   * when the endpoint was derived from host and port (and follows the port chosen for port 0).
   */
  public record Federation(String host, int port, URI endpoint, boolean endpointConfigured) {}

  /**
   * Optional PEM files for the web listener (absent means the node's own generated certificate), and the
   * engine that encrypts the records of every TLS listener and client of the node.
   */
  public record Tls(Optional<Path> certificateFile, Optional<Path> privateKeyFile, TlsEngine engine) {}

  /**
   * Limits on requests and connections: body sizes; how long a client may take to send a request's
   * head (line and headers) on a new or kept-alive connection; how long a connection may stay silent
   * both ways; and how many live streams (server-sent events) one user may hold open at once.
   */
  public record Limits(long requestBodyBytes, long uploadBytes, int headerTimeoutSeconds, int idleTimeoutSeconds,
      int liveStreamsPerUser) {}

  /** SQLite tuning that operators may need to change. */
  /**
   * SQLite settings. {@code backupBeforeMigration}: before a start that would migrate an existing
   * database to a newer schema, a consistent copy of it is kept (on unless the operator turns it off).
   */
  public record Storage(int readConnections, Duration busyTimeout, int maxWriteBatch, boolean backupBeforeMigration) {

    /** With the copy before a migration kept (the default). */
    public Storage(int readConnections, Duration busyTimeout, int maxWriteBatch) {
      this(readConnections, busyTimeout, maxWriteBatch, true);
    }
  }

  /** Web session lifetimes. */
  public record Session(Duration idleTimeout, Duration absoluteTimeout) {}

  /** Log output: {@code text} for people, {@code json} (JSON lines) for log collectors. */
  public record Log(String format, String level) {}

  /**
   * Outgoing mail (approval notices, certificate retrieval numbers, login ids). No {@code host}
   * means mail is not configured: the node runs, and says so wherever a mail could not be sent.
   * {@code startTls} is {@code required} unless the operator relaxes it.
   */
  public record Mail(Optional<String> host, int port, String from, String startTls, Optional<String> username,
      Optional<String> password) {
    @Override
    public String toString() {
      return "Mail[host=" + host + ", port=" + port + ", from=" + from + ", startTls=" + startTls
          + ", username=" + username + ", password=" + (password.isPresent() ? "(set)" : "(unset)") + "]";
    }
  }

  /**
   * The resource portal's map and geocoder: the tile URL template and its attribution (GSI
   * standard tiles by default), the address-search URL the address is appended to, and the
   * site's public address for canonical links and the sitemap (absent: the address asked for).
   */
  public record Maps(String tileUrl, String attribution, URI attributionUrl, URI geocoderUrl, Optional<URI> publicUrl) {

    /** The tile host as a Content-Security-Policy source ({@code https://cyberjapandata.gsi.go.jp}). */
    public String tileOrigin() {
      URI uri = URI.create(tileUrl.replace("{", "").replace("}", ""));
      return uri.getScheme() + "://" + uri.getRawAuthority();
    }
  }

  /**
   * Backups: the target directory (a mounted NAS or another disk) and the operator's backup recipient
   * (the public half of the backup key; the private half is never on the node), the daily time in
   * {@code zone} (empty: no schedule), how many daily, weekly and monthly backups pruning keeps, whether
   * scheduled backups include the node's private keys, and the configuration file the node was started
   * from (kept in each backup).
   */
  public record Backup(Optional<Path> target, Optional<String> recipient, Optional<java.time.LocalTime> dailyAt,
      java.time.ZoneId zone, int keepDaily, int keepWeekly, int keepMonthly, boolean withKeys, Optional<Path> configFile) {

    /** No backups configured. */
    public static Backup none() {
      return new Backup(Optional.empty(), Optional.empty(), Optional.empty(), java.time.ZoneId.of("Asia/Tokyo"), 7, 4,
          12, false, Optional.empty());
    }

    /** @return whether a backup can be made: a target and a recipient are set */
    public boolean configured() {
      return target.isPresent() && recipient.isPresent();
    }

    /** The same settings, naming the configuration file they were read from. */
    public Backup withConfigFile(Path file) {
      return new Backup(target, recipient, dailyAt, zone, keepDaily, keepWeekly, keepMonthly, withKeys,
          Optional.of(file));
    }
  }

  /**
   * Watch sensors (みまもりセンサー): how long raw readings are kept (hourly aggregates are kept for the
   * life of the enrolment), and the largest batch a gateway may send, in bytes and in readings.
   */
  public record Sensors(int rawRetentionDays, long maxBatchBytes, int maxBatchReadings, int escalateAfterMinutes,
      int peopleFirstMs) {

    /**
     * The defaults: 90 days, 1 MiB, 5,000 readings, escalation after 30 unacknowledged minutes, a gateway's
     * batch waiting at most 40 ms a step for a gap between people's requests.
     */
    public static Sensors defaults() {
      return new Sensors(90, 1_048_576, 5_000, 30, 40);
    }
  }

  /**
   * Video links of meetings: the Jitsi Meet server rooms are made on (self-hosted or public), and
   * whether a link made elsewhere (Microsoft Teams, Zoom) may be pasted instead.
   */
  public record Meetings(URI jitsiBaseUrl, boolean otherProviders) {}

  /**
   * The care-need certification review board (介護認定審査会): how many days after a session's result is
   * confirmed its materials and opinions are deleted (the decisions and the audit entries stay).
   */
  public record Review(int deleteAfterDays) {

    /** The default: a week after the result is confirmed. */
    public static Review defaults() {
      return new Review(7);
    }
  }

  /**
   * Several instances of this one node (absent: a single instance, the default). {@code host} and
   * {@code port} are this instance's own membership address (one of {@code members}); the clustered
   * event bus, which carries every byte of data between instances, listens on {@code host} and
   * {@code eventBusPort}. A write is acknowledged once {@code syncReplicas} followers applied it;
   * {@code cpMembers} instances hold the CP group that elects the one writer (3 in production).
   * {@code keepBatches}: batches kept beyond what the slowest live follower still needs (older ones
   * are pruned; an instance behind them starts from a snapshot); {@code resyncAtStart}: this instance
   * replaces its database by a snapshot of the leader's at start, whatever it holds.
   */
  public record Cluster(String name, List<Member> members, String host, int port, int eventBusPort,
      int syncReplicas, int cpMembers, int maxReadyLag, int keepBatches, boolean resyncAtStart) {
    public Cluster {
      members = List.copyOf(members);
    }
  }

  /** One instance's membership address. */
  public record Member(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** The same configuration as one instance of a cluster (tests build clusters this way). */
  public NodeConfig withCluster(Cluster settings) {
    return new NodeConfig(node, dataDir, web, federation, admin, tls, limits, storage, session, log, mail, map,
        backup, sensors, webPublicUrl, demo, meetings, review, Optional.of(settings));
  }

  /** The same configuration with other backup settings. */
  public NodeConfig withBackup(Backup settings) {
    return new NodeConfig(node, dataDir, web, federation, admin, tls, limits, storage, session, log, mail, map,
        settings, sensors, webPublicUrl, demo, meetings, review, cluster);
  }

  /** The same configuration in demo mode (password-only login on loopback, demo banner). */
  public NodeConfig asDemo() {
    return new NodeConfig(node, dataDir, web, federation, admin, tls, limits, storage, session, log, mail, map,
        backup, sensors, webPublicUrl, true, meetings, review, cluster);
  }

  /**
   * The same configuration with the ports the listeners take (port 0 replaced by the port chosen at
   * start), so that every address built from it names where the node listens. The admin listener's port
   * 0 may stay 0: no address is built from it, and it is bound as such (the node's {@code adminPort()}
   * says where it went).
   */
  public NodeConfig withPorts(int webPort, int federationPort, int adminPort) {
    URI endpoint = federation.endpointConfigured() ? federation.endpoint()
        : URI.create("https://" + federation.host() + ":" + federationPort);
    return new NodeConfig(node, dataDir, new Listener(web.host(), webPort),
        new Federation(federation.host(), federationPort, endpoint, federation.endpointConfigured()),
        new Listener(admin.host(), adminPort), tls, limits, storage, session, log, mail, map, backup, sensors,
        webPublicUrl, demo, meetings, review, cluster);
  }

  /**
   * The address people reach the web listener at, the only base of links the node hands out (mails,
   * certificate pages): {@code web.publicUrl}, else the configured host and the port listened on.
   * Never the address a request claims to have come to.
   */
  public String webUrl() {
    return webPublicUrl.map(NodeConfig::withoutTrailingSlash)
        .orElse("https://" + hostInUrl(web.host()) + ":" + web.port());
  }

  /** The public portal's address (canonical links, Open Graph, sitemap): {@code portal.publicUrl}, else {@link #webUrl}. */
  public String portalUrl() {
    return map.publicUrl().map(NodeConfig::withoutTrailingSlash).orElse(webUrl());
  }

  private static String withoutTrailingSlash(URI uri) {
    return uri.toString().replaceAll("/+$", "");
  }

  private static String hostInUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** The SQLite database file inside the data directory. */
  public Path databaseFile() {
    return dataDir.resolve("tsunagu.db");
  }

  /** Where the node keeps its identity (signing keys, TLS certificate). */
  public Path identityDir() {
    return dataDir.resolve("identity");
  }

  /** Where the node keeps the certificate authority for its users' device certificates. */
  public Path userCaDir() {
    return dataDir.resolve("user-ca");
  }
}
