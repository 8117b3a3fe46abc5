package dev.agentmesh.review;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Where in an artifact a {@link Comment} applies. Which anchors fit which type:
 *
 * <ul>
 *   <li>{@link Whole}: any artifact;
 *   <li>{@link Lines}: a {@link CodeDiff} (a file's path and lines of its new version that the diff
 *       shows), a {@link Document} (lines of the proposed text) or an {@link OutboundMessage}
 *       (lines of the body), numbered from 1;
 *   <li>{@link Cell}: a {@link Table} row, by the values of its key columns, and a column;
 *   <li>{@link Field}: a {@link RecordChange} field, a top-level {@link Action} argument, or an
 *       {@link OutboundMessage} part ({@code channel, sender, to, cc, bcc, subject, body});
 *   <li>{@link Region}: a rectangle of a {@link VisualChange}'s proposed (after) image, in pixels.
 * </ul>
 *
 * {@link #validate} refuses an anchor that points where the artifact has nothing, naming what
 * exists. {@link #describe()} is one line of text for people and prompts. Anchors are
 * Jackson-serializable with a {@code kind} property ({@code whole}, {@code lines}, {@code cell},
 * {@code field}, {@code region}).
 *
 * <pre>{@code
 * Anchor a = Anchor.cell(Map.of("sku", "A1"), "price");
 * a.validate(table);         // ReviewRefusedException (INVALID_ANCHOR) if there is no such cell
 * a.describe();              // "row sku=A1, column 'price'"
 * }</pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Anchor.Whole.class, name = "whole"),
  @JsonSubTypes.Type(value = Anchor.Lines.class, name = "lines"),
  @JsonSubTypes.Type(value = Anchor.Cell.class, name = "cell"),
  @JsonSubTypes.Type(value = Anchor.Field.class, name = "field"),
  @JsonSubTypes.Type(value = Anchor.Region.class, name = "region")
})
public sealed interface Anchor
    permits Anchor.Whole, Anchor.Lines, Anchor.Cell, Anchor.Field, Anchor.Region {

  /** {@return an anchor on the whole artifact} */
  static Whole whole() {
    return new Whole();
  }

  /**
   * One line of a document or message body.
   *
   * @param line the line number, from 1
   * @return the anchor
   */
  static Lines line(int line) {
    return new Lines(null, line, line);
  }

  /**
   * One line of a file in a code diff (of the file's new version).
   *
   * @param file the file's path, as in the diff
   * @param line the line number in the new version, from 1
   * @return the anchor
   */
  static Lines line(String file, int line) {
    return new Lines(file, line, line);
  }

  /**
   * A range of lines, {@code from} to {@code to} inclusive.
   *
   * @param file the file's path in a code diff; {@code null} for a document or message body
   * @param from the first line, from 1
   * @param to the last line, at least {@code from}
   * @return the anchor
   */
  static Lines lines(@Nullable String file, int from, int to) {
    return new Lines(file, from, to);
  }

  /**
   * One cell of a table.
   *
   * @param rowKey the row's key: each key column and its value
   * @param column the column
   * @return the anchor
   */
  static Cell cell(Map<String, String> rowKey, String column) {
    return new Cell(rowKey, column);
  }

  /**
   * A named field: a record change's field, an action's argument, a message's part.
   *
   * @param name the field's name
   * @return the anchor
   */
  static Field field(String name) {
    return new Field(name);
  }

  /**
   * A rectangle of the proposed image.
   *
   * @param x the left edge, from 0
   * @param y the top edge, from 0
   * @param width the width, at least 1
   * @param height the height, at least 1
   * @return the anchor
   */
  static Region region(int x, int y, int width, int height) {
    return new Region(x, y, width, height);
  }

  /** {@return one line that says where the anchor points, such as {@code src/A.java line 12}} */
  String describe();

  /**
   * Checks that the anchor points at something {@code artifact} has.
   *
   * @param artifact the artifact the anchor points into
   * @throws ReviewRefusedException with reason {@code INVALID_ANCHOR}, naming what exists
   */
  default void validate(ReviewArtifact artifact) {
    String problem = AnchorChecks.problem(this, artifact);
    if (problem != null) {
      throw new ReviewRefusedException(ReviewRefusedException.Reason.INVALID_ANCHOR, problem);
    }
  }

  /** The whole artifact. */
  record Whole() implements Anchor {
    @Override
    public String describe() {
      return "the whole artifact";
    }
  }

  /**
   * Lines {@code from} to {@code to} (inclusive, from 1) of a document, a message body or, with a
   * file, of that file's new version in a code diff.
   *
   * @param file the file's path in a code diff, or {@code null}
   * @param from the first line
   * @param to the last line
   */
  record Lines(@Nullable String file, int from, int to) implements Anchor {
    /**
     * Checks the range.
     *
     * @param file the file's path in a code diff, or {@code null}
     * @param from the first line
     * @param to the last line
     */
    public Lines {
      if (from < 1 || to < from) {
        throw new IllegalArgumentException(
            "lines are numbered from 1 and a range ends at or after its start, but was "
                + from
                + " to "
                + to);
      }
      if (file != null && file.isBlank()) {
        throw new IllegalArgumentException("a file path must not be blank; leave it out (null)");
      }
    }

    @Override
    public String describe() {
      String lines = from == to ? "line " + from : "lines " + from + "-" + to;
      return file == null ? lines : "'" + Texts.truncate(file, 120) + "' " + lines;
    }
  }

  /**
   * One table cell: the row by the values of its key columns, and a column.
   *
   * @param rowKey each key column and its value in the row (sorted by column)
   * @param column the column
   */
  record Cell(Map<String, String> rowKey, String column) implements Anchor {
    /**
     * Checks the key and column and copies the key, sorted by column.
     *
     * @param rowKey each key column and its value in the row
     * @param column the column
     */
    public Cell {
      if (rowKey.isEmpty()) {
        throw new IllegalArgumentException(
            "a cell's row key names each key column and its value, such as {sku=A1}, but was empty");
      }
      rowKey = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(rowKey));
      Objects.requireNonNull(column, "column");
    }

    @Override
    public String describe() {
      return "row " + AnchorChecks.key(rowKey) + ", column '" + Texts.truncate(column, 80) + "'";
    }
  }

  /**
   * A named field of a record change, an action or a message.
   *
   * @param name the field's name
   */
  record Field(String name) implements Anchor {
    /**
     * Checks the name.
     *
     * @param name the field's name
     */
    public Field {
      if (name.isBlank()) {
        throw new IllegalArgumentException("a field anchor names a field but the name was blank");
      }
    }

    @Override
    public String describe() {
      return "field '" + Texts.truncate(name, 80) + "'";
    }
  }

  /**
   * A rectangle of the proposed (after) image, in pixels.
   *
   * @param x the left edge, from 0
   * @param y the top edge, from 0
   * @param width the width, at least 1
   * @param height the height, at least 1
   */
  record Region(int x, int y, int width, int height) implements Anchor {
    /**
     * Checks the rectangle.
     *
     * @param x the left edge, from 0
     * @param y the top edge, from 0
     * @param width the width, at least 1
     * @param height the height, at least 1
     */
    public Region {
      if (x < 0 || y < 0 || width < 1 || height < 1) {
        throw new IllegalArgumentException(
            "a region starts at x, y >= 0 and is at least 1x1 pixels, but was x="
                + x
                + " y="
                + y
                + " "
                + width
                + "x"
                + height);
      }
    }

    @Override
    public String describe() {
      return "region x=" + x + " y=" + y + " " + width + "x" + height + " px";
    }
  }
}
