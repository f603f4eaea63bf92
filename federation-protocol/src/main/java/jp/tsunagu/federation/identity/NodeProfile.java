package jp.tsunagu.federation.identity;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

import jp.tsunagu.federation.ProtocolException;

/**
 * Who a node is, as its operator configured it: the public, non-secret half of an identity.
 *
 * @param name               short stable node name, lowercase {@code [a-z0-9-]{2,40}}, e.g. {@code seto-asahi}
 * @param displayName        the network's name for people, e.g. {@code 瀬戸旭もーやっこネットワーク}
 * @param municipalities     the municipalities the node serves, at least one, no duplicates
 * @param federationEndpoint the base URL partners use for {@code /federation/v1}, https or http with a host
 */
public record NodeProfile(String name, String displayName, List<MunicipalityCode> municipalities,
                          URI federationEndpoint) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{2,40}");

    /** Validates every field and copies the list. */
    public NodeProfile {
        requireValidName(name);
        if (displayName == null || displayName.isBlank()) {
            displayName = name;
        }
        if (municipalities == null || municipalities.isEmpty()) {
            throw new ProtocolException("identity.municipality_missing",
                    "node " + name + " must serve at least one municipality");
        }
        municipalities = List.copyOf(municipalities);
        if (municipalities.stream().distinct().count() != municipalities.size()) {
            throw new ProtocolException("identity.municipality_duplicate",
                    "node " + name + " lists a municipality twice");
        }
        requireValidEndpoint(federationEndpoint);
    }

    /**
     * Checks a node name.
     *
     * @param name the candidate
     * @return the name
     * @throws ProtocolException {@code identity.name_invalid} unless lowercase {@code [a-z0-9-]{2,40}}
     */
    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ProtocolException("identity.name_invalid",
                    "node name must be 2 to 40 of a-z, 0-9 and '-', got '" + name + "'");
        }
        return name;
    }

    /**
     * Checks a federation endpoint.
     *
     * @param endpoint the candidate
     * @return the endpoint
     * @throws ProtocolException {@code identity.endpoint_invalid} unless an absolute http(s) URL with a host
     */
    public static URI requireValidEndpoint(URI endpoint) {
        if (endpoint == null || endpoint.getHost() == null
                || !("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme()))) {
            throw new ProtocolException("identity.endpoint_invalid",
                    "federation endpoint must be an absolute https URL with a host, got '" + endpoint + "'");
        }
        return endpoint;
    }

    /**
     * Parses an endpoint URL.
     *
     * @param text the URL text
     * @return the checked endpoint
     * @throws ProtocolException {@code identity.endpoint_invalid}
     */
    public static URI parseEndpoint(String text) {
        try {
            return requireValidEndpoint(new URI(text));
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new ProtocolException("identity.endpoint_invalid", "not a URL: '" + text + "'", e);
        }
    }
}
