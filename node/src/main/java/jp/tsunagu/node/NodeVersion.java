package jp.tsunagu.node;

/** The build's version, from the jar manifest (a development build from classes says so). */
public final class NodeVersion {

  private NodeVersion() {}

  public static String get() {
    String version = NodeVersion.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
