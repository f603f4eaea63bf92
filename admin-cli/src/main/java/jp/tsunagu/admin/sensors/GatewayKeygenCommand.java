package jp.tsunagu.admin.sensors;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sensors gateway keygen}: a gateway key for a provider without its own tooling, run on the
 * provider's (or the gateway's) machine. The private JWK is written owner-only, never over an
 * existing file; the public JWK is written beside it ({@code .public.jwk}) for {@code issue}.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Generate a gateway's Ed25519 key on the provider's machine: the private JWK to FILE (owner-only, "
                + "never overwritten), the public JWK to FILE with .public.jwk, which is all the node needs.",
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin sensors gateway keygen --out mimamori-gw1.jwk"})
public final class GatewayKeygenCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the private key (must not exist).")
    Path out;

    @Override
    public Integer call() {
        SigningKey key = SigningKey.generate();
        Path publicFile = publicFile(out);
        writeOwnerOnly(out, Json.writePretty(key.privateJwk().toJSONObject()));
        writeOwnerOnly(publicFile, Json.writePretty(key.verificationKey().toJson()));
        PrintWriter print = spec.commandLine().getOut();
        print.println("gateway key written to " + out + " (owner-only; it stays with the gateway)");
        print.println("public key written to " + publicFile + " (give this one to the node)");
        print.println("fingerprint: " + key.verificationKey().fingerprint());
        print.flush();
        return ExitCodes.OK;
    }

    static Path publicFile(Path privateFile) {
        String name = privateFile.getFileName().toString().replaceFirst("\\.jwk$", "");
        return privateFile.resolveSibling(name + ".public.jwk");
    }

    private static void writeOwnerOnly(Path file, String text) {
        try {
            Path absolute = file.toAbsolutePath();
            Files.createDirectories(absolute.getParent());
            if (Files.getFileStore(absolute.getParent()).supportsFileAttributeView("posix")) {
                Files.createFile(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(absolute);
            }
            Files.writeString(absolute, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new CliException(ExitCodes.INPUT, file + " exists already: a gateway key is never overwritten; choose "
                    + "another file", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
