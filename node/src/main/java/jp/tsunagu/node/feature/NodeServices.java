package jp.tsunagu.node.feature;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.keys.NodeKeys;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.web.idempotency.IdempotencyKeys;

/**
 * What every feature of a running node may use, handed to features through their constructors;
 * {@code idempotency} guards the features' create routes.
 */
public record NodeServices(NodeConfig config, NodeKeys keys, Database database, PrometheusMeterRegistry metrics,
    Clock clock, IdempotencyKeys idempotency) {}
