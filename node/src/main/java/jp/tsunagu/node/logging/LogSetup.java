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
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    URL configuration = LogSetup.class.getResource("/logback.xml");
    if (configuration == null) {
      return;
    }
    context.reset();
    context.putProperty("TSUNAGU_LOG_APPENDER", log.format().toUpperCase(Locale.ROOT));
    context.putProperty("TSUNAGU_LOG_LEVEL", log.level());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(configuration);
    } catch (JoranException e) {
      System.err.println("warning: logging configuration failed: " + e.getMessage());
    }
  }
}
