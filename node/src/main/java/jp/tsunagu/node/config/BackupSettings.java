package jp.tsunagu.node.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.backup.BackupKey;

/** Reads and checks the {@code backup.*} keys of a node's configuration. */
final class BackupSettings {

  private BackupSettings() {}

  static NodeConfig.Backup read(ConfigValues v, Path baseDir) {
    Optional<Path> target = v.optionalText("backup.target").map(s -> baseDir.resolve(s).normalize());
    Optional<String> recipient = v.optionalText("backup.recipient");
    if (target.isPresent() != recipient.isPresent()) {
      throw new ConfigException(target.isPresent() ? "backup.recipient" : "backup.target",
          "backup.target and backup.recipient go together: set both (the recipient is printed by"
              + " 'tsunagu-admin backup keygen') or neither");
    }
    recipient.ifPresent(r -> {
      try {
        BackupKey.parseRecipient(r);
      } catch (ProtocolException e) {
        throw new ConfigException("backup.recipient", e.getMessage());
      }
    });
    String schedule = v.text("backup.schedule");
    Optional<LocalTime> dailyAt;
    if (schedule.equals("off")) {
      dailyAt = Optional.empty();
    } else {
      try {
        dailyAt = Optional.of(LocalTime.parse(schedule));
      } catch (DateTimeParseException e) {
        throw new ConfigException("backup.schedule", "must be a daily time such as 02:00, or off; got '" + schedule + "'");
      }
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(v.text("backup.zone"));
    } catch (DateTimeException e) {
      throw new ConfigException("backup.zone", "not a time zone: '" + v.text("backup.zone") + "' (e.g. Asia/Tokyo)");
    }
    return new NodeConfig.Backup(target, recipient, target.isPresent() ? dailyAt : Optional.empty(), zone,
        (int) v.range("backup.keepDaily", 1, 366), (int) v.range("backup.keepWeekly", 0, 520),
        (int) v.range("backup.keepMonthly", 0, 1200), v.oneOf("backup.withKeys", "on", "off").equals("on"),
        Optional.empty());
  }
}
