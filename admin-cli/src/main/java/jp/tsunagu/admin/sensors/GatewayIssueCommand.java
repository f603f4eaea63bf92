package jp.tsunagu.admin.sensors;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.CliFiles;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.NodeOption;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.VerificationKey;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sensors gateway issue}: registers a gateway's public key on the node and prints the gateway id. */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = "Register a gateway's public key on the node. Only the public half is sent, even when FILE holds "
                + "the private key. Prints the gateway id the provider puts in every batch.",
        footerHeading = "%n", footer = {"Example:",
            "  tsunagu-admin sensors gateway issue --node http://127.0.0.1:9080 --issued-by ina-unyou \\",
            "      --name 伊那市 西箕輪 --provider みまもりテック株式会社 --public-key mimamori-gw1.public.jwk --rate 60"})
public final class GatewayIssueCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Option(names = "--issued-by", required = true, paramLabel = "LOGIN_ID",
            description = "Your node operator or 行政 account's login id (the gateway's record names who issued it).")
    String issuedBy;
    @Option(names = "--name", required = true, paramLabel = "TEXT", description = "What the gateway is, e.g. its area.")
    String name;
    @Option(names = "--provider", required = true, paramLabel = "TEXT", description = "The sensor provider.")
    String provider;
    @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "The gateway's Ed25519 JWK.")
    Path publicKey;
    @Option(names = "--rate", paramLabel = "N", defaultValue = "60",
            description = "Batches the gateway may send per minute, 1-600 (default ${DEFAULT-VALUE}).")
    int rate;

    @Override
    public Integer call() {
        VerificationKey key;
        try {
            key = VerificationKey.fromJwk(Json.parseObject(CliFiles.read(publicKey)));
        } catch (ProtocolException e) {
            throw new CliException(ExitCodes.INPUT, publicKey + " is not an Ed25519 JWK: " + e.getMessage(), e);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("issuedBy", issuedBy);
        request.put("name", name);
        request.put("provider", provider);
        request.put("publicKey", key.toJson());
        request.put("ratePerMinute", rate);
        JsonFields gateway = JsonFields.of(node.client().post("/admin/v1/sensors/gateways", Json.write(request)),
                "wire.malformed", "gateway");
        PrintWriter out = spec.commandLine().getOut();
        out.println("issued gateway " + gateway.string("id") + " (" + name + ", " + provider + ", " + rate + "/min)");
        out.println("key fingerprint " + key.fingerprint());
        out.println("The provider puts \"gateway\": \"" + gateway.string("id") + "\" in every batch and signs it with the key.");
        return ExitCodes.OK;
    }
}
