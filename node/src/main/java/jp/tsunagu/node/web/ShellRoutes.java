package jp.tsunagu.node.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web UI: static files from {@code webroot/} in the jar, no build step outside Maven, and the
 * Chart.js WebJar the vitals charts load (its version pinned in the root pom, named in care-vitals.js).
 */
public final class ShellRoutes {

  private ShellRoutes() {}

  public static void mount(Router router) {
    router.get("/webjars/chart.js/*").handler(StaticHandler.create("META-INF/resources/webjars/chart.js")
        .setDirectoryListing(false).setMaxAgeSeconds(86_400));
    router.get("/*").handler(StaticHandler.create("webroot")
        .setIndexPage("index.html")
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIncludeHidden(false));
  }
}
