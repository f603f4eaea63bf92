package jp.tsunagu.admin.resources;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jp.tsunagu.admin.Table;
import jp.tsunagu.admin.Times;
import jp.tsunagu.federation.json.JsonFields;

/** The node's answer about partner pulls ({@code {partners: [...]}}), as a table. */
final class PartnerPulls {

    /** One partner's last pull. */
    record Pull(String node, String attemptedAt, String fetchedAt, long resources, long rejected, String problem) {}

    private final List<Pull> pulls;

    private PartnerPulls(List<Pull> pulls) {
        this.pulls = List.copyOf(pulls);
    }

    static PartnerPulls of(Map<String, Object> answer) {
        JsonFields fields = JsonFields.of(answer, "wire.malformed", "partner resource status");
        List<Pull> pulls = new ArrayList<>();
        for (Object item : fields.array("partners")) {
            JsonFields p = JsonFields.of(item, "wire.malformed", "partner");
            pulls.add(new Pull(p.string("node"), text(p, "attemptedAt"), text(p, "fetchedAt"), p.integer("resources"),
                    p.integer("rejected"), text(p, "problem")));
        }
        return new PartnerPulls(pulls);
    }

    private static String text(JsonFields fields, String key) {
        return fields.object().get(key) instanceof String s ? s : null;
    }

    int size() {
        return pulls.size();
    }

    /** Partners whose last pull failed. */
    long failed() {
        return pulls.stream().filter(p -> p.problem() != null).count();
    }

    void print(PrintWriter out) {
        if (pulls.isEmpty()) {
            out.println("no partner shares resources with this node (no active agreement with the resources-directory scope)");
            return;
        }
        Table table = new Table("PARTNER", "RESOURCES", "REJECTED", "FETCHED", "ATTEMPTED", "PROBLEM");
        for (Pull p : pulls) {
            table.row(p.node(), p.resources(), p.rejected(), Times.seconds(p.fetchedAt(), "never"),
                    Times.seconds(p.attemptedAt(), "-"), p.problem() == null ? "-" : p.problem());
        }
        table.print(out);
    }
}
