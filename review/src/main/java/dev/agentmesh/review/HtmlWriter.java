package dev.agentmesh.review;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * Writes a surface as an HTML fragment through the templates in {@code src/main/jte}, precompiled
 * at build time into {@code dev.agentmesh.review.internal.jte}. JTE escapes every value by its
 * context (text, attribute); Markdown previews go through commonmark with raw HTML escaped and only
 * http, https and mailto link targets kept. Inline styles only, so it survives e-mail.
 */
final class HtmlWriter {

  private static final TemplateEngine ENGINE =
      TemplateEngine.createPrecompiled(
          null,
          ContentType.Html,
          HtmlWriter.class.getClassLoader(),
          "dev.agentmesh.review.internal.jte");

  private HtmlWriter() {}

  static String write(Surface raw) {
    StringOutput out = new StringOutput(8192);
    ENGINE.render("surface.jte", InertSurface.of(raw), out);
    return out.toString();
  }
}
