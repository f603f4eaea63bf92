package jp.tsunagu.node.teamsync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where one thread's samples fall (a flight recording of Java and native samples every 2 ms), counted by the
 * nearest frame of the project's own code outside storage: the step of a write that ran the statement or did the
 * work, e.g. {@code TeamLogSql.insertUnsigned} or {@code TeamEvents.post}. What {@link SharedWriteRate} prints
 * of the home node's database writer for a local and a shared board.
 */
final class WriterProfile {

  /** Samples in no project frame outside storage: the transaction's own statements and commit. */
  private static final String STORAGE = "storage (begin, commit, hand-offs)";
  private static final String TOTAL = " total";

  private final long threadId;
  private final Recording recording = new Recording();

  private WriterProfile(long threadId) {
    this.threadId = threadId;
  }

  static WriterProfile start(long threadId) {
    WriterProfile profile = new WriterProfile(threadId);
    profile.recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(2));
    profile.recording.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(2));
    profile.recording.start();
    return profile;
  }

  /** Stops the recording and adds its samples of the thread to {@code samples}, by step. */
  void stopInto(Map<String, Long> samples) throws java.io.IOException {
    recording.stop();
    Path file = Files.createTempFile("tsunagu-writer-", ".jfr");
    try {
      recording.dump(file);
      for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
        var thread = event.getThread("sampledThread");
        if (thread == null || thread.getJavaThreadId() != threadId || event.getStackTrace() == null) {
          continue;
        }
        samples.merge(step(event), 1L, Long::sum);
        samples.merge(TOTAL, 1L, Long::sum);
      }
    } finally {
      recording.close();
      Files.deleteIfExists(file);
    }
  }

  private static String step(RecordedEvent event) {
    for (RecordedFrame frame : event.getStackTrace().getFrames()) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("jp.tsunagu.") && !type.startsWith("jp.tsunagu.node.storage.")) {
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
      }
    }
    return STORAGE;
  }

  /** The largest steps, each with its share of the samples. */
  static String summary(Map<String, Long> samples) {
    long total = Math.max(1, samples.getOrDefault(TOTAL, 0L));
    return samples.getOrDefault(TOTAL, 0L) + " samples: " + samples.entrySet().stream()
        .filter(e -> !e.getKey().equals(TOTAL))
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(14)
        .map(e -> String.format(java.util.Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / total))
        .collect(Collectors.joining(", "));
  }
}
