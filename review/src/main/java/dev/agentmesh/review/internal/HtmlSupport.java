package dev.agentmesh.review.internal;

import dev.agentmesh.review.Block;
import dev.agentmesh.review.Span;
import java.util.Base64;
import java.util.Locale;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.UrlSanitizer;

/**
 * Helpers the precompiled HTML templates call. Not part of the API.
 *
 * <pre>{@code
 * String html = HtmlSupport.markdown("**bold** <script>"); // <p><strong>bold</strong> &lt;script&gt;</p>
 * }</pre>
 */
public final class HtmlSupport {

  private static final Parser PARSER = Parser.builder().build();

  /** Links keep only http, https and mailto targets; images never load anything. */
  private static final UrlSanitizer STRICT =
      new UrlSanitizer() {
        @Override
        public String sanitizeLinkUrl(String url) {
          String lower = url.strip().toLowerCase(Locale.ROOT);
          return lower.startsWith("http://")
                  || lower.startsWith("https://")
                  || lower.startsWith("mailto:")
              ? url
              : "";
        }

        @Override
        public String sanitizeImageUrl(String url) {
          return "";
        }
      };

  private static final HtmlRenderer RENDERER =
      HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).urlSanitizer(STRICT).build();

  private HtmlSupport() {}

  /** Markdown as HTML: raw HTML escaped, link targets other than http(s)/mailto dropped. */
  public static String markdown(String markdown) {
    return RENDERER.render(PARSER.parse(markdown));
  }

  /** A {@code data:} URI for PNG bytes we produced or checked. */
  public static String pngDataUri(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }

  /** The CSS class of a marked row or line. */
  public static String markerClass(Block.Marker marker) {
    return marker.name().toLowerCase(Locale.ROOT);
  }

  /** The HTML element a span style is written as. */
  public static String element(Span.Style style) {
    return switch (style) {
      case PLAIN -> "span";
      case INSERTED -> "ins";
      case DELETED -> "del";
      case FLAGGED -> "mark";
      case STRONG -> "strong";
    };
  }
}
