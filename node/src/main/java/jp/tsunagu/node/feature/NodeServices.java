package jp.tsunagu.node.feature;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.keys.NodeKeys;
import jp.tsunagu.node.storage.Database;

/** What every feature of a running node may use, handed to features through their constructors. */
public record NodeServices(NodeConfig config, NodeKeys keys, Database database, PrometheusMeterRegistry metrics,
    Clock clock) {}
