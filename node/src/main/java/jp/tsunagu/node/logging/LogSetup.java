package jp.tsunagu.node.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import jp.tsunagu.node.config.NodeConfig;
import org.slf4j.LoggerFactory;

/** Applies the configured log format and level once the configuration is known. */
public final class LogSetup {

  private LogSetup() {}

  public static void apply(NodeConfig.Log log) {
    configure("/logback.xml", java.util.Map.of("TSUNAGU_LOG_APPENDER", log.format().toUpperCase(Locale.ROOT),
        "TSUNAGU_LOG_LEVEL", log.level()));
  }

  /**
   * The demo's logging: every line at INFO and above (access and federation lines included) to
   * {@code file}, only warnings and errors to the console, where the demo's banner stays readable.
   */
  public static void demo(java.nio.file.Path file) {
    configure("/logback-demo.xml", java.util.Map.of("TSUNAGU_LOG_FILE", file.toString()));
  }

  private static void configure(String resource, java.util.Map<String, String> properties) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    URL configuration = LogSetup.class.getResource(resource);
    if (configuration == null) {
      return;
    }
    context.reset();
    properties.forEach(context::putProperty);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(configuration);
    } catch (JoranException e) {
      System.err.println("warning: logging configuration failed: " + e.getMessage());
    }
  }
}
