package jp.tsunagu.node.care;

import io.vertx.ext.web.Router;
import jp.tsunagu.node.web.Feature;

/** Forms (主治医意見書, 訪問看護指示書, 訪問看護報告書): templates, filling in, printing. */
final class FormRoutes implements Feature {

  private final CareContext care;

  FormRoutes(CareContext care) {
    this.care = care;
  }

  @Override
  public void mountApi(Router api) {
    // filled in below
  }
}
