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

  /**
   * How a line or a row changed; written as {@code ' '}, {@code +}, {@code -}, {@code ~},
   * {@code @}.
   */
  enum Marker {
    /** Unchanged. */
    CONTEXT(" "),
    /** Added. */
    ADDED("+"),
    /** Removed. */
    REMOVED("-"),
    /** Changed in place. */
    CHANGED("~"),
    /** A hunk header: where the lines that follow stand. */
    HUNK("@");

    private final String symbol;

    Marker(String symbol) {
      this.symbol = symbol;
    }

    /** {@return the one-character symbol shown in text and Markdown} */
    public String symbol() {
      return symbol;
    }
  }

  /**
   * A section heading.
   *
   * @param text the heading's text
   */
  record Heading(String text) implements Block {
    /**
     * Checks the text is there.
     *
     * @param text the heading's text
     */
    public Heading {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A paragraph of styled text on one or more lines (newlines in spans are kept).
   *
   * @param spans the styled text
   */
  record Paragraph(List<Span> spans) implements Block {
    /**
     * Copies the spans.
     *
     * @param spans the styled text
     */
    public Paragraph {
      spans = List.copyOf(spans);
    }

    /**
     * A paragraph of these spans.
     *
     * @param spans the styled text
     * @return the paragraph
     */
    public static Paragraph of(Span... spans) {
      return new Paragraph(List.of(spans));
    }
  }

  /**
   * Text shown verbatim under a label (a clean view, pretty JSON), never interpreted.
   *
   * @param label what the text is
   * @param text the text
   */
  record Verbatim(String label, String text) implements Block {
    /**
     * Checks both are there.
     *
     * @param label what the text is
     * @param text the text
     */
    public Verbatim {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * Markdown shown rendered in HTML (sanitized) and as {@link Verbatim} text elsewhere.
   *
   * @param label what the Markdown is
   * @param markdown the Markdown source
   */
  record MarkdownPreview(String label, String markdown) implements Block {
    /**
     * Checks both are there.
     *
     * @param label what the Markdown is
     * @param markdown the Markdown source
     */
    public MarkdownPreview {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(markdown, "markdown");
    }
  }

  /**
   * Name/value pairs (message headers, record fields).
   *
   * @param fields the pairs, in order
   */
  record Fields(List<Field> fields) implements Block {
    /**
     * Copies the pairs.
     *
     * @param fields the pairs, in order
     */
    public Fields {
      fields = List.copyOf(fields);
    }
  }

  /**
   * One name/value pair; the value is styled text.
   *
   * @param name the name
   * @param value the value, as styled text
   */
  record Field(String name, List<Span> value) {
    /**
     * Copies the value.
     *
     * @param name the name
     * @param value the value, as styled text
     */
    public Field {
      Objects.requireNonNull(name, "name");
      value = List.copyOf(value);
    }

    /**
     * A pair of this name and these spans.
     *
     * @param name the name
     * @param value the value's spans
     * @return the pair
     */
    public static Field of(String name, Span... value) {
      return new Field(name, List.of(value));
    }
  }

  /**
   * Marked lines, as in a diff; spans carry intraline highlights.
   *
   * @param label what the lines show
   * @param lines the lines, in order
   */
  record Lines(String label, List<Line> lines) implements Block {
    /**
     * Copies the lines.
     *
     * @param label what the lines show
     * @param lines the lines, in order
     */
    public Lines {
      Objects.requireNonNull(label, "label");
      lines = List.copyOf(lines);
    }
  }

  /**
   * One marked line.
   *
   * @param marker how the line changed
   * @param spans the line's text, with intraline highlights
   */
  record Line(Marker marker, List<Span> spans) {
    /**
     * Copies the spans.
     *
     * @param marker how the line changed
     * @param spans the line's text, with intraline highlights
     */
    public Line {
      Objects.requireNonNull(marker, "marker");
      spans = List.copyOf(spans);
    }

    /**
     * A line of this marker and these spans.
     *
     * @param marker how the line changed
     * @param spans the line's text
     * @return the line
     */
    public static Line of(Marker marker, Span... spans) {
      return new Line(marker, List.of(spans));
    }
  }

  /**
   * A table: a header row and marked rows of styled cells.
   *
   * @param header the header row
   * @param rows the rows, in order
   */
  record Grid(Row header, List<Row> rows) implements Block {
    /**
     * Copies the rows.
     *
     * @param header the header row
     * @param rows the rows, in order
     */
    public Grid {
      Objects.requireNonNull(header, "header");
      rows = List.copyOf(rows);
    }
  }

  /**
   * One row of a {@link Grid}; each cell is a list of spans.
   *
   * @param marker how the row changed
   * @param cells the cells, in column order
   */
  record Row(Marker marker, List<List<Span>> cells) {
    /**
     * Copies the cells.
     *
     * @param marker how the row changed
     * @param cells the cells, in column order
     */
    public Row {
      Objects.requireNonNull(marker, "marker");
      cells = cells.stream().map(List::copyOf).toList();
    }
  }

  /**
   * A PNG image (embedded in HTML, described in text and Markdown).
   *
   * @param label what the image shows
   * @param png the PNG bytes
   * @param width width in pixels
   * @param height height in pixels
   */
  record Image(String label, byte[] png, int width, int height) implements Block {
    /**
     * Copies the bytes.
     *
     * @param label what the image shows
     * @param png the PNG bytes
     * @param width width in pixels
     * @param height height in pixels
     */
    public Image {
      Objects.requireNonNull(label, "label");
      png = png.clone();
    }

    /** {@return a copy of the PNG bytes} */
    @Override
    public byte[] png() {
      return png.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Image i
          && label.equals(i.label)
          && Arrays.equals(png, i.png)
          && width == i.width
          && height == i.height;
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

  /**
   * Something the reviewer must notice: an external recipient, a disguised link.
   *
   * @param level how serious it is
   * @param text what to notice
   */
  record Notice(Level level, String text) implements Block {
    /** How serious a notice is. */
    public enum Level {
      /** Worth knowing. */
      NOTE,
      /** Check before approving. */
      WARNING
    }

    /**
     * Checks both are there.
     *
     * @param level how serious it is
     * @param text what to notice
     */
    public Notice {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(text, "text");
    }
  }
}
