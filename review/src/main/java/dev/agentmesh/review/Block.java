package dev.agentmesh.review;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One piece of a {@link Surface}. The set is closed so that every format writer handles every
 * block; a host's artifact type composes its surface from these.
 *
 * <pre>{@code
 * Block diff = new Block.Lines(List.of(
 *     Block.Line.of(Block.Marker.REMOVED, Span.plain("return "), Span.deleted("1"), Span.plain(";")),
 *     Block.Line.of(Block.Marker.ADDED, Span.plain("return "), Span.inserted("2"), Span.plain(";"))));
 * }</pre>
 */
public sealed interface Block {

  /** How a line or a row changed; written as {@code ' '}, {@code +}, {@code -}, {@code ~}, {@code @}. */
  enum Marker {
    CONTEXT(" "), ADDED("+"), REMOVED("-"), CHANGED("~"), HUNK("@");

    private final String symbol;

    Marker(String symbol) {
      this.symbol = symbol;
    }

    /** The one-character symbol shown in text and Markdown. */
    public String symbol() {
      return symbol;
    }
  }

  /** A section heading. */
  record Heading(String text) implements Block {
    public Heading {
      Objects.requireNonNull(text, "text");
    }
  }

  /** A paragraph of styled text on one or more lines (newlines in spans are kept). */
  record Paragraph(List<Span> spans) implements Block {
    public Paragraph {
      spans = List.copyOf(spans);
    }

    public static Paragraph of(Span... spans) {
      return new Paragraph(List.of(spans));
    }
  }

  /** Text shown verbatim under a label (a clean view, pretty JSON), never interpreted. */
  record Verbatim(String label, String text) implements Block {
    public Verbatim {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(text, "text");
    }
  }

  /** Markdown shown rendered in HTML (sanitized) and as {@link Verbatim} text elsewhere. */
  record MarkdownPreview(String label, String markdown) implements Block {
    public MarkdownPreview {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(markdown, "markdown");
    }
  }

  /** Name/value pairs (message headers, record fields). */
  record Fields(List<Field> fields) implements Block {
    public Fields {
      fields = List.copyOf(fields);
    }
  }

  /** One name/value pair; the value is styled text. */
  record Field(String name, List<Span> value) {
    public Field {
      Objects.requireNonNull(name, "name");
      value = List.copyOf(value);
    }

    public static Field of(String name, Span... value) {
      return new Field(name, List.of(value));
    }
  }

  /** Marked lines, as in a diff; spans carry intraline highlights. */
  record Lines(String label, List<Line> lines) implements Block {
    public Lines {
      Objects.requireNonNull(label, "label");
      lines = List.copyOf(lines);
    }
  }

  /** One marked line. */
  record Line(Marker marker, List<Span> spans) {
    public Line {
      Objects.requireNonNull(marker, "marker");
      spans = List.copyOf(spans);
    }

    public static Line of(Marker marker, Span... spans) {
      return new Line(marker, List.of(spans));
    }
  }

  /** A table: a header row and marked rows of styled cells. */
  record Grid(Row header, List<Row> rows) implements Block {
    public Grid {
      Objects.requireNonNull(header, "header");
      rows = List.copyOf(rows);
    }
  }

  /** One row of a {@link Grid}; each cell is a list of spans. */
  record Row(Marker marker, List<List<Span>> cells) {
    public Row {
      Objects.requireNonNull(marker, "marker");
      cells = cells.stream().map(List::copyOf).toList();
    }
  }

  /** A PNG image (embedded in HTML, described in text and Markdown). */
  record Image(String label, byte[] png, int width, int height) implements Block {
    public Image {
      Objects.requireNonNull(label, "label");
      png = png.clone();
    }

    @Override
    public byte[] png() {
      return png.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Image i && label.equals(i.label) && Arrays.equals(png, i.png)
          && width == i.width && height == i.height;
    }

    @Override
    public int hashCode() {
      return Objects.hash(label, Arrays.hashCode(png), width, height);
    }

    @Override
    public String toString() {
      return "Image[" + label + ", " + width + "x" + height + ", " + png.length + " bytes]";
    }
  }

  /** Something the reviewer must notice: an external recipient, a disguised link. */
  record Notice(Level level, String text) implements Block {
    /** How serious a notice is. */
    public enum Level { NOTE, WARNING }

    public Notice {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(text, "text");
    }
  }
}
