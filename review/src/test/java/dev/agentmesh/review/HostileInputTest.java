package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever an artifact carries (HTML, Markdown, Slack mrkdwn, header line breaks, terminal escapes,
 * bidi overrides), every format renders it as inert text.
 */
class HostileInputTest {

  static final List<String> HOSTILE =
      List.of(
          "<script>alert(1)</script>",
          "<img src=x onerror=alert(1)>",
          "\"><svg onload=alert(1)>",
          "[click](javascript:alert(1))",
          "<javascript:alert(1)|click me>",
          "<!channel> <!here> <@U123>",
          "<https://evil.test|https://bank.example.com>",
          "**bold** _it_ `code` ~~s~~ # heading\n- item\n> quote",
          "```\n</pre><script>x</script>\n```",
          "Subject\r\nBcc: victim@evil.test",
          "\u001B[31mred\u001B[0m \u001B]8;;https://evil.test\u0007link\u001B]8;;\u0007",
          "\u009B31m C1 CSI \u0085 NEL \u0000 NUL \u007F DEL",
          "invoice_\u202Egnp.exe \u2066isolate\u2069 \u200Fmark",
          "tag\uDB40\uDC41chars and lone \uD800 surrogate",
          "a & b &amp; &lt;tag&gt; \\<escaped>",
          "| a | b |\n|---|---|\n| <b>x</b> | y |");

  private static final ArtifactTypes TYPES =
      ArtifactTypes.builder().internalDomains("example.com").build();

  static Stream<Arguments> hostileTimesTypeTimesFormat() {
    List<Arguments> out = new ArrayList<>();
    for (String s : HOSTILE) {
      for (Map.Entry<String, Function<String, ReviewArtifact>> carrier : Samples.carriers()) {
        for (SurfaceFormat format : SurfaceFormat.values()) {
          out.add(Arguments.of(carrier.getKey(), format, s, carrier.getValue()));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "[{index}] {0} as {1}")
  @MethodSource("hostileTimesTypeTimesFormat")
  @DisplayName("hostile strings render as inert text in every type and format")
  void hostileStringsRenderInert(
      String type, SurfaceFormat format, String hostile, Function<String, ReviewArtifact> carrier) {
    String out = TYPES.render(carrier.apply(hostile), format);
    Inertness.assertInert(out, format);
  }

  static Stream<Arguments> generated() {
    long seed = Long.getLong("agentmesh.seed", System.nanoTime());
    System.out.println(
        "HostileInputTest seed: " + seed + " (replay with -Dagentmesh.seed=" + seed + ")");
    Random random = new Random(seed);
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      out.add(Arguments.of(seed, i, generate(random)));
    }
    return out.stream();
  }

  private static final String[] PIECES = {
    "<",
    ">",
    "&",
    "script",
    "<script",
    "!channel",
    "<!channel>",
    "|",
    "[",
    "]",
    "(",
    ")",
    "javascript:",
    "\u001B",
    "\u001B[",
    "\r",
    "\n",
    "\r\n",
    "\u202E",
    "\u2066",
    "\u009B",
    "*",
    "_",
    "`",
    "~",
    "#",
    "\\",
    "\"",
    "'",
    "=",
    "http://x.test",
    "{{",
    "}}",
    "a",
    "b",
    " ",
    "\t",
    "&lt;"
  };

  private static String generate(Random random) {
    StringBuilder s = new StringBuilder("x");
    int n = 1 + random.nextInt(24);
    for (int i = 0; i < n; i++) {
      s.append(
          random.nextInt(5) == 0
              ? String.valueOf((char) random.nextInt(0x250))
              : PIECES[random.nextInt(PIECES.length)]);
    }
    return s.toString();
  }

  @ParameterizedTest(name = "seed {0} case {1}")
  @MethodSource("generated")
  @DisplayName("generated strings never produce a raw <script, an ESC byte or a live <!channel>")
  void generatedStringsRenderInert(long seed, int index, String input) {
    for (Map.Entry<String, Function<String, ReviewArtifact>> carrier : Samples.carriers()) {
      for (SurfaceFormat format : SurfaceFormat.values()) {
        String out = TYPES.render(carrier.getValue().apply(input), format);
        Inertness.assertInert(out, format);
      }
    }
  }

  /**
   * The guarantees, checked on output. Every format: no control character but LF and TAB, no bidi
   * override, no tag character, no lone surrogate. Markdown: no raw {@code <} at all (so no HTML,
   * no Slack {@code <!channel>} or {@code <url|text>}) and no live {@code [text](url)}. HTML: only
   * our own tags, no event-handler attribute, links only to http, https or mailto. Plain text keeps
   * {@code <script>} as the characters the artifact carries (it is for terminals and text/plain
   * e-mail; see docs/review.md).
   */
  static final class Inertness {
    private static final Pattern TAG = Pattern.compile("<(/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>");
    private static final Set<String> OUR_TAGS =
        Set.of(
            "section",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "ul",
            "ol",
            "li",
            "p",
            "pre",
            "div",
            "dl",
            "dt",
            "dd",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "ins",
            "del",
            "mark",
            "strong",
            "em",
            "code",
            "span",
            "figure",
            "img",
            "figcaption",
            "a",
            "blockquote",
            "hr",
            "br");

    private Inertness() {}

    static void assertInert(String out, SurfaceFormat format) {
      assertThat(out.codePoints().filter(cp -> cp != '\n' && cp != '\t' && Inert.dangerous(cp)))
          .as("controls, bidi overrides, tags and lone surrogates in %s output", format)
          .isEmpty();
      if (format == SurfaceFormat.MARKDOWN) {
        assertThat(out).doesNotContain("<");
        assertThat(Pattern.compile("(?<!\\\\)\\]\\(").matcher(out).find())
            .as("a live Markdown link in %s", out)
            .isFalse();
      }
      if (format == SurfaceFormat.HTML) {
        assertThat(out).doesNotContainIgnoringCase("<script").doesNotContain("<!channel>");
        Matcher tags = TAG.matcher(out);
        while (tags.find()) {
          assertThat(OUR_TAGS)
              .as("tag in %s", tags.group())
              .contains(tags.group(2).toLowerCase(Locale.ROOT));
          assertThat(tags.group(3))
              .as("attributes of %s", tags.group())
              .doesNotContainPattern("(?i)\\son\\w+\\s*=");
          if (tags.group(1).isEmpty() && tags.group(2).equalsIgnoreCase("a")) {
            assertThat(tags.group(3))
                .matches(
                    " rel=\"nofollow\" href=\"((https?:|mailto:)[^\"]*)?\"( title=\"[^\"]*\")?");
          }
          if (tags.group(1).isEmpty() && tags.group(2).equalsIgnoreCase("img")) {
            assertThat(tags.group(3))
                .matches(
                    " (alt=\"[^\"]*\" src=\"data:image/png;base64,[A-Za-z0-9+/=]+\" width=\"\\d+\" height=\"\\d+\"|src=\"\" alt=\"[^\"]*\" ?/?)");
          }
        }
      }
    }
  }
}
