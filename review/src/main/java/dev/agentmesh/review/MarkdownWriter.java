package dev.agentmesh.review;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a surface as Markdown that reads the same on GitHub and in Slack, and in which no artifact
 * text is ever markup: {@code < > &} become entities (so Slack's {@code <!channel>} and {@code
 * <url|text>} and any HTML stay text), {@code \ ` * _ [ ] | ~} are backslash-escaped everywhere,
 * and block markers ({@code # + - = > 1.}) at the start of a line too. Leading spaces become
 * no-break spaces, so no line turns into a code block. The writer uses no code spans or fences for
 * artifact text (Slack and GitHub disagree about escapes inside them). Insertions are {@code
 * **x**}, deletions {@code ~~x~~}, flags {@code **⚠ x**}.
 */
final class MarkdownWriter {

  private MarkdownWriter() {}

  static String write(Surface raw) {
    Surface s = InertSurface.of(raw);
    StringBuilder out = new StringBuilder(4096);
    out.append("### ").append(escape(s.title())).append("\n\n");
    s.summary().forEach(line -> out.append("- ").append(escape(line)).append('\n'));
    for (Block b : s.blocks()) {
      out.append('\n');
      block(out, b);
    }
    return out.toString();
  }

  private static void block(StringBuilder out, Block b) {
    if (b instanceof Block.Heading h) {
      out.append("#### ").append(escape(h.text())).append('\n');
    } else if (b instanceof Block.Paragraph p) {
      out.append(multiline(spans(p.spans()))).append('\n');
    } else if (b instanceof Block.Verbatim v) {
      verbatim(out, v.label(), v.text());
    } else if (b instanceof Block.MarkdownPreview m) {
      verbatim(out, m.label(), m.markdown());
    } else if (b instanceof Block.Fields f) {
      f.fields()
          .forEach(
              x ->
                  out.append("- **")
                      .append(escape(x.name()))
                      .append(":** ")
                      .append(spans(x.value()))
                      .append('\n'));
    } else if (b instanceof Block.Lines l) {
      out.append("**").append(escape(l.label())).append("**\n\n");
      out.append(
              l.lines().stream()
                  .map(x -> "`" + x.marker().symbol() + "` " + spans(x.spans()))
                  .collect(Collectors.joining("  \n")))
          .append('\n');
    } else if (b instanceof Block.Grid g) {
      out.append(row(g.header())).append('\n');
      out.append("| --- |").append(" --- |".repeat(g.header().cells().size())).append('\n');
      g.rows().forEach(r -> out.append(row(r)).append('\n'));
    } else if (b instanceof Block.Image i) {
      out.append("_image: ")
          .append(escape(i.label()))
          .append(", ")
          .append(i.width())
          .append('x')
          .append(i.height())
          .append(" PNG, ")
          .append(i.png().length)
          .append(" bytes (shown in HTML)_\n");
    } else if (b instanceof Block.Notice n) {
      out.append("> **")
          .append(n.level() == Block.Notice.Level.WARNING ? "Warning" : "Note")
          .append(":** ")
          .append(escape(n.text()))
          .append('\n');
    }
  }

  private static void verbatim(StringBuilder out, String label, String text) {
    out.append("**").append(escape(label)).append(":**\n\n");
    out.append(multiline(escape(text))).append('\n');
  }

  private static String row(Block.Row r) {
    StringBuilder out = new StringBuilder("| `").append(r.marker().symbol()).append("` |");
    r.cells().forEach(c -> out.append(' ').append(spans(c)).append(" |"));
    return out.toString();
  }

  private static String spans(List<Span> spans) {
    StringBuilder out = new StringBuilder();
    for (Span s : spans) {
      String core = s.text().strip();
      if (s.style() == Span.Style.PLAIN || core.isEmpty()) {
        out.append(escape(s.text()));
        continue;
      }
      // Emphasis markers must touch the text: whitespace goes outside them.
      int lead = s.text().indexOf(core);
      out.append(escape(s.text().substring(0, lead)));
      switch (s.style()) {
        case INSERTED, STRONG -> out.append("**").append(escape(core)).append("**");
        case DELETED -> out.append("~~").append(escape(core)).append("~~");
        default -> out.append("**\u26A0 ").append(escape(core)).append("**");
      }
      out.append(escape(s.text().substring(lead + core.length())));
    }
    return out.toString();
  }

  /** Joins lines with hard breaks (two trailing spaces), blank lines kept as paragraph breaks. */
  private static String multiline(String text) {
    return text.replace("\n", "  \n");
  }

  /** Escapes one piece of inert text; newlines are kept and each line is escaped as a line. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    boolean lineStart = true;
    boolean digits = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (lineStart && c == ' ') {
        out.append('\u00A0');
        continue;
      }
      boolean spaceNext =
          i + 1 == text.length() || text.charAt(i + 1) == ' ' || text.charAt(i + 1) == '\n';
      boolean marker =
          (lineStart && "-=>".indexOf(c) >= 0)
              || (spaceNext
                  && ((lineStart && (c == '#' || c == '+')) || (digits && (c == '.' || c == ')'))));
      digits = (lineStart || digits) && c >= '0' && c <= '9';
      lineStart = c == '\n';
      if (marker && c != '>') {
        out.append('\\').append(c);
        continue;
      }
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '\\', '`', '*', '_', '[', ']', '|', '~' -> out.append('\\').append(c);
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
