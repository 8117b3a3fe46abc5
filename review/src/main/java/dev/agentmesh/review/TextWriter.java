package dev.agentmesh.review;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a surface as plain text for terminals and e-mail. Insertions are {@code {+x+}}, deletions
 * {@code [-x-]} (as wdiff writes them), flags {@code >>x<<}, strong text {@code *x*}. The surface
 * has been made inert first, so no control character reaches the output.
 */
final class TextWriter {

  private TextWriter() {}

  static String write(Surface raw) {
    Surface s = InertSurface.of(raw);
    StringBuilder out = new StringBuilder(4096);
    out.append(s.title()).append('\n');
    s.summary().forEach(line -> out.append("  * ").append(line).append('\n'));
    for (Block b : s.blocks()) {
      out.append('\n');
      block(out, b);
    }
    return out.toString();
  }

  private static void block(StringBuilder out, Block b) {
    if (b instanceof Block.Heading h) {
      out.append("== ").append(h.text()).append(" ==\n");
    } else if (b instanceof Block.Paragraph p) {
      out.append(spans(p.spans())).append('\n');
    } else if (b instanceof Block.Verbatim v) {
      verbatim(out, v.label(), v.text());
    } else if (b instanceof Block.MarkdownPreview m) {
      verbatim(out, m.label(), m.markdown());
    } else if (b instanceof Block.Fields f) {
      f.fields()
          .forEach(x -> out.append(x.name()).append(": ").append(spans(x.value())).append('\n'));
    } else if (b instanceof Block.Lines l) {
      out.append(l.label()).append('\n');
      l.lines()
          .forEach(
              x ->
                  out.append(x.marker().symbol())
                      .append(' ')
                      .append(spans(x.spans()))
                      .append('\n'));
    } else if (b instanceof Block.Grid g) {
      grid(out, g);
    } else if (b instanceof Block.Image i) {
      out.append("[image: ")
          .append(i.label())
          .append(", ")
          .append(i.width())
          .append('x')
          .append(i.height())
          .append(" PNG, ")
          .append(i.png().length)
          .append(" bytes]\n");
    } else if (b instanceof Block.Notice n) {
      out.append(n.level() == Block.Notice.Level.WARNING ? "WARNING: " : "NOTE: ")
          .append(n.text())
          .append('\n');
    }
  }

  private static void verbatim(StringBuilder out, String label, String text) {
    out.append(label).append(":\n");
    for (String line : text.split("\n", -1)) {
      out.append("  | ").append(line).append('\n');
    }
  }

  private static void grid(StringBuilder out, Block.Grid g) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(cells(g.header()));
    g.rows().forEach(r -> rows.add(cells(r)));
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    rows.forEach(
        r -> {
          for (int c = 0; c < r.size(); c++) {
            widths[c] = Math.max(widths[c], r.get(c).length());
          }
        });
    for (int i = 0; i < rows.size(); i++) {
      Block.Row source = i == 0 ? g.header() : g.rows().get(i - 1);
      out.append(source.marker().symbol());
      List<String> r = rows.get(i);
      for (int c = 0; c < r.size(); c++) {
        out.append(" | ").append(r.get(c)).append(" ".repeat(widths[c] - r.get(c).length()));
      }
      out.append(" |\n");
    }
  }

  private static List<String> cells(Block.Row row) {
    return row.cells().stream().map(TextWriter::spans).toList();
  }

  static String spans(List<Span> spans) {
    StringBuilder out = new StringBuilder();
    for (Span s : spans) {
      if (s.text().isEmpty()) {
        continue;
      }
      switch (s.style()) {
        case PLAIN -> out.append(s.text());
        case INSERTED -> out.append("{+").append(s.text()).append("+}");
        case DELETED -> out.append("[-").append(s.text()).append("-]");
        case FLAGGED -> out.append(">>").append(s.text()).append("<<");
        case STRONG -> out.append('*').append(s.text()).append('*');
      }
    }
    return out.toString();
  }
}
