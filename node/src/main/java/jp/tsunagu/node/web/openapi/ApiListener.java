package jp.tsunagu.node.web.openapi;

/** The three listeners of a node that carry an API, each with its OpenAPI document. */
public enum ApiListener {

  /** The HTTPS listener for people: the JSON API of the web UI. */
  WEB("/api/v1", "openapi/api.yaml"),
  /** The loopback operator listener. */
  ADMIN("/admin/v1", "openapi/admin.yaml"),
  /** The mutual-TLS listener between partner nodes. */
  FEDERATION("/federation/v1", "openapi/federation.yaml");

  private final String basePath;
  private final String resource;

  ApiListener(String basePath, String resource) {
    this.basePath = basePath;
    this.resource = resource;
  }

  /** Where the listener's API is mounted; every path of its document starts with it. */
  public String basePath() {
    return basePath;
  }

  /** The document's class-path resource (YAML). */
  public String resource() {
    return resource;
  }

  /** Where the listener serves its document, as JSON. */
  public String documentPath() {
    return basePath + "/openapi.json";
  }
}
