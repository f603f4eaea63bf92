package jp.tsunagu.node.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/** The web UI: static files from {@code webroot/} in the jar, no build step outside Maven. */
public final class ShellRoutes {

  private ShellRoutes() {}

  public static void mount(Router router) {
    router.get("/*").handler(StaticHandler.create("webroot")
        .setIndexPage("index.html")
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIncludeHidden(false));
  }
}
