package jp.tsunagu.admin.sensors;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.CliFiles;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.NodeOption;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.json.JsonFields;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.federation.sensors.SensorSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sensors simulate}: plays a gateway against a running node with the daily life of its
 * households ({@link SensorSimulator}): it asks the admin API for the gateway's devices, sends the
 * past {@code --backlog-hours} (a gateway back from an outage), then every {@code --every} seconds
 * what happened since, for {@code --minutes}. A household named with {@code --quiet} goes quiet now:
 * its doors stop, its room sensor goes on.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Play a sensor gateway against a running node: realistic door events and room climate for each "
                + "household registered to the gateway, signed with the gateway's key.",
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin sensors simulate --node http://127.0.0.1:9080 --web https://127.0.0.1:8443 \\",
            "      --trust /var/lib/tsunagu/ina/identity/tls.crt --gateway gw-0123456789abcdef --key mimamori-gw1.jwk \\",
            "      --backlog-hours 24 --minutes 60",
            "  (the same with --quiet hh-0001 makes that household's doors stop from now on)"})
public final class SimulateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Option(names = "--web", required = true, paramLabel = "URL", description = "The node's web listener, e.g. https://127.0.0.1:8443.")
    URI web;
    @Option(names = "--trust", paramLabel = "FILE", description = "The web listener's certificate (PEM), for https://.")
    Path trust;
    @Option(names = "--gateway", required = true, paramLabel = "ID", description = "The gateway id the node issued.")
    String gatewayId;
    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The gateway's private key (JWK).")
    Path keyFile;
    @Option(names = "--backlog-hours", paramLabel = "N", defaultValue = "0", description = "Hours of the past to send first (default 0).")
    int backlogHours;
    @Option(names = "--minutes", paramLabel = "N", defaultValue = "0",
            description = "Minutes to go on sending live after the backlog (default 0: the backlog only).")
    int minutes;
    @Option(names = "--every", paramLabel = "SECONDS", defaultValue = "60", description = "Seconds between live batches (default 60).")
    int everySeconds;
    @Option(names = "--quiet", paramLabel = "HOUSEHOLD", description = "A household whose doors stop from now (repeatable).")
    Set<String> quiet = Set.of();
    @Option(names = "--seed", paramLabel = "N", defaultValue = "20", description = "The same seed plays the same days.")
    long seed;

    /** Readings per batch: well under the node's default limit of 5,000. */
    static final int BATCH = 2_000;

    @Override
    public Integer call() {
        GatewayPoster.requireGatewayId(gatewayId);
        if (backlogHours < 0 || minutes < 0 || everySeconds < 1) {
            throw new CliException(ExitCodes.USAGE, "--backlog-hours and --minutes are 0 or more, --every at least 1");
        }
        SigningKey key = readKey();
        GatewayPoster poster = new GatewayPoster(web, trust);
        long now = System.currentTimeMillis();
        List<SensorSimulator.Household> households = households(now);
        SensorSimulator simulator = new SensorSimulator(seed);
        PrintWriter out = spec.commandLine().getOut();
        out.println("playing " + households.size() + " households of gateway " + gatewayId);
        long from = now - backlogHours * 3_600_000L;
        long end = now + minutes * 60_000L;
        int batch = 0;
        while (true) {
            long to = Math.min(System.currentTimeMillis(), end);
            List<GatewayBatch.Reading> readings = new ArrayList<>();
            for (SensorSimulator.Household household : households) {
                readings.addAll(simulator.between(household, from, to));
            }
            for (int start = 0; start < readings.size() || start == 0; start += BATCH) {
                List<GatewayBatch.Reading> part = readings.subList(start, Math.min(readings.size(), start + BATCH));
                JsonFields answer = JsonFields.of(poster.send(gatewayId, key, gatewayId + "-" + to + "-" + batch++, part),
                        "wire.malformed", "answer");
                out.println("sent " + part.size() + " readings up to " + java.time.Instant.ofEpochMilli(to) + ": "
                        + answer.integer("stored") + " new");
                out.flush();
            }
            from = to;
            if (to >= end) {
                return ExitCodes.OK;
            }
            sleep(Math.min(everySeconds * 1000L, end - System.currentTimeMillis()));
        }
    }

    private SigningKey readKey() {
        try {
            return SigningKey.fromPrivateJwk(com.nimbusds.jose.jwk.OctetKeyPair.parse(CliFiles.read(keyFile)));
        } catch (java.text.ParseException | ProtocolException e) {
            throw new CliException(ExitCodes.INPUT, keyFile + " is not a gateway's private key (Ed25519 JWK)", e);
        }
    }

    private List<SensorSimulator.Household> households(long now) {
        JsonFields answer = JsonFields.of(node.client().get("/admin/v1/sensors/gateways/" + gatewayId + "/devices"),
                "wire.malformed", "devices");
        Map<String, List<SensorSimulator.Device>> byHousehold = new LinkedHashMap<>();
        for (Object item : answer.array("devices")) {
            JsonFields d = JsonFields.of(item, "wire.malformed", "device");
            if ("active".equals(d.string("householdStatus"))) {
                byHousehold.computeIfAbsent(d.string("household"), h -> new ArrayList<>())
                        .add(new SensorSimulator.Device(d.string("id"), d.string("place"), d.string("kind")));
            }
        }
        List<SensorSimulator.Household> households = new ArrayList<>();
        byHousehold.forEach((id, devices) -> households.add(
                new SensorSimulator.Household(id, devices, quiet.contains(id) ? now : Long.MAX_VALUE)));
        for (String named : quiet) {
            if (!byHousehold.containsKey(named)) {
                throw new CliException(ExitCodes.USAGE, "--quiet " + named + ": no active household of this gateway");
            }
        }
        return households;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.NODE, "interrupted", e);
        }
    }

}
