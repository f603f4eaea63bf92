package jp.tsunagu.federation.identity;

import java.util.LinkedHashMap;
import java.util.Map;

import jp.tsunagu.federation.json.JsonFields;

/** The JSON members of a {@link NodeProfile}, shared by identity files, cards and agreement parties. */
public final class ProfileJson {
    private ProfileJson() {
    }

    /**
     * @param profile a profile
     * @return members {@code name}, {@code displayName}, {@code municipalities}, {@code federationEndpoint}
     */
    public static Map<String, Object> write(NodeProfile profile) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", profile.name());
        json.put("displayName", profile.displayName());
        json.put("municipalities", profile.municipalities().stream().map(MunicipalityCode::value).toList());
        json.put("federationEndpoint", profile.federationEndpoint().toString());
        return json;
    }

    /**
     * @param fields members as {@link #write} writes them
     * @return the validated profile
     */
    public static NodeProfile read(JsonFields fields) {
        return new NodeProfile(fields.string("name"), fields.optionalString("displayName"),
                fields.strings("municipalities").stream().map(MunicipalityCode::parse).toList(),
                NodeProfile.parseEndpoint(fields.string("federationEndpoint")));
    }
}
