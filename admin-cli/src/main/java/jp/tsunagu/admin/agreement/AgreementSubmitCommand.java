package jp.tsunagu.admin.agreement;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CliFiles;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.NodeOption;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;
import jp.tsunagu.federation.jws.Base64Url;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agreement submit}: imports an agreement or a withdrawal into a running node. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Import a signed agreement (POST /admin/v1/agreements) or a withdrawal statement "
                + "(POST /admin/v1/withdrawals) into a running node, which verifies it fully and changes nothing if it does not verify. "
                + "The file is checked locally first and nothing is sent if it is malformed.",
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin agreement submit --node http://127.0.0.1:9080 kamiina.json",
            "  tsunagu-admin agreement submit --node http://127.0.0.1:9080 minowa.withdrawal.json"})
public final class AgreementSubmitCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Agreement or withdrawal statement.")
    Path file;

    @Override
    public Integer call() {
        String text = CliFiles.read(file);
        Map<String, Object> answer;
        if (isWithdrawal(text)) {
            WithdrawalStatement statement = WithdrawalStatement.parse(text);
            answer = node.client().post("/admin/v1/withdrawals", Json.write(statement.toJson()));
        } else {
            AgreementDocument document = AgreementDocument.parse(text);
            answer = node.client().post("/admin/v1/agreements", document.toCompactJson());
        }
        var out = spec.commandLine().getOut();
        out.println("submitted " + file + ": " + Json.write(answer));
        out.flush();
        return 0;
    }

    /** Tells the two file kinds apart by the format their payload declares. */
    private static boolean isWithdrawal(String text) {
        try {
            JsonFields file = JsonFields.of(Json.parse(text), "agreement.malformed", "file");
            String payload = new String(Base64Url.decode(file.string("payload"), "agreement.malformed"), StandardCharsets.UTF_8);
            return WithdrawalStatement.FORMAT.equals(Json.parseObject(payload).get("format"));
        } catch (ProtocolException e) {
            return false; // AgreementDocument.parse reports the precise failure
        }
    }
}
