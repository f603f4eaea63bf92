package jp.tsunagu.admin.account;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.NodeOption;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code account create}: the operator creates an account of no facility (POST /admin/v1/accounts),
 * above all a node's first municipal staff account. The node generates the initial password and
 * the first device certificate; their secrets are mailed to the person, or printed here once.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a municipal staff (行政), emergency responder (救急・消防) or node operator account with its "
                + "first device certificate on a running node (POST /admin/v1/accounts).",
            "The initial password and the certificate retrieval number and password are mailed to the person "
                + "(--deliver mail, the default when the node has mail configured) or printed here once "
                + "(--deliver hand, the default otherwise, and the fallback when the mail fails): hand them over "
                + "in person. They are never shown again; the node audits that they were shown."},
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin account create --node http://127.0.0.1:9080 --role municipal_staff --login-id ina-kenkou \\",
            "      --email kenkou@city.ina.example.jp --family-name 田中 --given-name 明子 --family-kana タナカ \\",
            "      --given-kana アキコ --device windows --remark 健康推進課",
            "  tsunagu-admin account create --node http://127.0.0.1:9080 --role emergency_responder --profession ems_crew \\",
            "      --login-id ina-kyukyu-01 --email kyukyu01@fire.ina.example.jp --family-name 有賀 --given-name 大輔 \\",
            "      --family-kana アルガ --given-kana ダイスケ --device android --deliver hand"})
public final class AccountCreateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    /** The roles an operator may create (the node refuses any other; picocli refuses them first, exit 2). */
    enum AccountRole { municipal_staff, emergency_responder, node_operator }

    @Option(names = "--role", required = true, paramLabel = "ROLE",
            description = "One of: ${COMPLETION-CANDIDATES}.")
    AccountRole role;
    @Option(names = "--login-id", required = true, paramLabel = "ID", description = "4-32 of A-Z a-z 0-9 . _ -")
    String loginId;
    @Option(names = "--email", required = true, paramLabel = "ADDRESS", description = "The person's own address.")
    String email;
    @Option(names = "--family-name", required = true, paramLabel = "姓")
    String familyName;
    @Option(names = "--given-name", required = true, paramLabel = "名")
    String givenName;
    @Option(names = "--family-kana", required = true, paramLabel = "セイ", description = "In katakana.")
    String familyKana;
    @Option(names = "--given-kana", required = true, paramLabel = "メイ", description = "In katakana.")
    String givenKana;
    @Option(names = "--profession", paramLabel = "CODE",
            description = "A profession code (professions.csv); ems_crew or fire_dispatcher for emergency responders "
                    + "(required then); default municipal_staff.")
    String profession;
    @Option(names = "--device", required = true, paramLabel = "TYPE",
            description = "The first certificate's device: windows, mac, android or ios.")
    String device;
    @Option(names = "--remark", paramLabel = "TEXT", description = "A remark on the certificate, e.g. the desk or the office.")
    String remark;
    @Option(names = "--deliver", paramLabel = "HOW", description = "mail or hand (see above).")
    String deliver;

    @Override
    public Integer call() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("role", role.name());
        request.put("loginId", loginId);
        request.put("email", email);
        request.put("familyName", familyName);
        request.put("givenName", givenName);
        request.put("familyKana", familyKana);
        request.put("givenKana", givenKana);
        request.put("deviceType", device);
        putIfSet(request, "profession", profession);
        putIfSet(request, "remark", remark);
        putIfSet(request, "delivery", deliver);
        JsonFields answer = JsonFields.of(node.client().post("/admin/v1/accounts", Json.write(request)), "wire.malformed",
                "account");
        JsonFields user = answer.object("user");
        PrintWriter out = spec.commandLine().getOut();
        out.println("created " + user.string("roleLabel") + " (" + user.string("role") + ") account " + user.string("loginId")
                + ", user " + user.string("id"));
        if (!answer.has("credentials")) {
            out.println("the initial password and the certificate retrieval number were mailed to " + user.string("email"));
            return 0;
        }
        if (!Boolean.TRUE.equals(answer.object().get("mailSent")) && !"hand".equals(deliver)) {
            out.println("the mail could not be sent; hand these over instead.");
        }
        JsonFields credentials = answer.object("credentials");
        out.println("Hand these to " + user.string("familyName") + " " + user.string("givenName")
                + " in person. They are not shown again:");
        out.println("  login id              " + credentials.string("loginId"));
        out.println("  initial password      " + credentials.string("initialPassword"));
        out.println("  certificate number    " + credentials.string("retrievalNumber"));
        out.println("  certificate password  " + credentials.string("certificatePassword"));
        out.println("  certificate page      " + credentials.string("certificateUrl"));
        out.println("  login page            " + credentials.string("loginUrl"));
        return 0;
    }

    private static void putIfSet(Map<String, Object> request, String name, String value) {
        if (value != null) {
            request.put(name, value);
        }
    }
}
