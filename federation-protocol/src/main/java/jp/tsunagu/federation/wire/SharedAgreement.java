package jp.tsunagu.federation.wire;

import java.util.LinkedHashMap;
import java.util.Map;

import jp.tsunagu.federation.agreement.AgreementReport;
import jp.tsunagu.federation.json.JsonFields;

/**
 * An agreement as named in a {@link HelloResponse}: enough for the caller to see that both nodes
 * hold the same version.
 *
 * @param id      agreement id
 * @param version version
 * @param sha256  payload hash
 * @param status  status as the answering node judges it
 */
public record SharedAgreement(String id, long version, String sha256, String status) {

    /**
     * @param report a verification report
     * @return its summary
     */
    public static SharedAgreement of(AgreementReport report) {
        return new SharedAgreement(report.agreement().id(), report.agreement().version(), report.document().sha256(),
                report.status().wireName());
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("version", version);
        json.put("sha256", sha256);
        json.put("status", status);
        return json;
    }

    static SharedAgreement fromJson(JsonFields fields) {
        return new SharedAgreement(fields.string("id"), fields.integer("version"), fields.string("sha256"), fields.string("status"));
    }
}
