package dev.agentmesh.review;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A change to tabular data, diffed by key (not by position). Its surface counts rows added,
 * removed, changed and unchanged and columns added and removed, gives numeric totals before and
 * after, then one row per changed row with each changed cell as {@code old -> new} and, for
 * numbers, the absolute and relative delta. Ignored columns (timestamps, etags) are left out.
 *
 * <pre>{@code
 * Table prices = new Table("prices", List.of("sku"), List.of("updated_at"),
 *     new Table.Data(List.of("sku", "price"), List.of(Map.of("sku", "A1", "price", "10.00"))),
 *     new Table.Data(List.of("sku", "price"), List.of(Map.of("sku", "A1", "price", "12.50"))));
 * }</pre>
 *
 * @param name the table's name
 * @param keyColumns the columns that identify a row, in both before and after
 * @param ignoredColumns columns left out of the diff
 * @param before the rows before the change
 * @param after the proposed rows
 */
public record Table(
    String name, List<String> keyColumns, List<String> ignoredColumns, Data before, Data after)
    implements ReviewArtifact {

  /**
   * Checks the components and copies the column lists.
   *
   * @param name the table's name
   * @param keyColumns the columns that identify a row, in both before and after
   * @param ignoredColumns columns left out of the diff
   * @param before the rows before the change
   * @param after the proposed rows
   */
  public Table {
    Objects.requireNonNull(name, "name");
    keyColumns = List.copyOf(keyColumns);
    ignoredColumns = List.copyOf(ignoredColumns);
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }

  /**
   * Rows of one side: the column order, and each row as column name to cell text.
   *
   * @param columns the columns, in display order
   * @param rows the rows; a missing non-key column is an empty cell
   */
  public record Data(List<String> columns, List<Map<String, String>> rows) {
    /**
     * Copies the columns and rows.
     *
     * @param columns the columns, in display order
     * @param rows the rows; a missing non-key column is an empty cell
     */
    public Data {
      columns = List.copyOf(columns);
      rows = rows.stream().<Map<String, String>>map(Map::copyOf).toList();
    }
  }
}
