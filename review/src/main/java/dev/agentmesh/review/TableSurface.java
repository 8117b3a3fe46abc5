package dev.agentmesh.review;

import dev.agentmesh.review.spi.RenderContext;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Validation and keyed diff surface of {@link Table}. */
final class TableSurface {

  private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");

  private TableSurface() {}

  static List<String> problems(Table t, ReviewLimits limits) {
    List<String> problems = new ArrayList<>();
    if (t.keyColumns().isEmpty()) {
      problems.add("table '" + Texts.truncate(t.name(), 80) + "' needs at least one key column");
    }
    side("before", t.before(), t.keyColumns(), problems);
    side("after", t.after(), t.keyColumns(), problems);
    return problems;
  }

  private static void side(String name, Table.Data data, List<String> keys, List<String> problems) {
    if (new HashSet<>(data.columns()).size() != data.columns().size()) {
      problems.add(name + " columns repeat a name: " + data.columns());
    }
    keys.stream()
        .filter(k -> !data.columns().contains(k))
        .forEach(
            k ->
                problems.add(name + " columns " + data.columns() + " lack key column '" + k + "'"));
    Map<List<String>, Integer> seen = new HashMap<>();
    for (int i = 0; i < data.rows().size() && problems.size() < 20; i++) {
      Map<String, String> row = data.rows().get(i);
      String where = name + " row " + (i + 1);
      keys.stream()
          .filter(k -> !row.containsKey(k))
          .forEach(k -> problems.add(where + " has no value for key column '" + k + "'"));
      row.keySet().stream()
          .filter(c -> !data.columns().contains(c))
          .sorted()
          .forEach(
              c ->
                  problems.add(
                      where
                          + " has column '"
                          + Texts.truncate(c, 60)
                          + "' not in its columns "
                          + data.columns()));
      Integer first = seen.putIfAbsent(key(row, keys), i + 1);
      if (first != null) {
        problems.add(
            name
                + " rows "
                + first
                + " and "
                + (i + 1)
                + " have the same key "
                + Texts.truncate(key(row, keys).toString(), 120)
                + "; keys must be unique");
      }
    }
  }

  private static List<String> key(Map<String, String> row, List<String> keys) {
    return keys.stream().map(k -> row.getOrDefault(k, "")).toList();
  }

  static Surface render(Table t, RenderContext context) {
    Set<String> ignored = Set.copyOf(t.ignoredColumns());
    Set<String> all = new LinkedHashSet<>(t.keyColumns());
    all.addAll(t.after().columns());
    all.addAll(t.before().columns());
    List<String> columns = all.stream().filter(c -> !ignored.contains(c)).toList();
    List<String> addedColumns =
        columns.stream().filter(c -> !t.before().columns().contains(c)).toList();
    List<String> removedColumns =
        columns.stream().filter(c -> !t.after().columns().contains(c)).toList();
    Map<List<String>, Map<String, String>> before = new HashMap<>();
    t.before().rows().forEach(r -> before.put(key(r, t.keyColumns()), r));
    Set<List<String>> afterKeys = new HashSet<>();
    List<Block.Row> rows = new ArrayList<>();
    int added = 0;
    int changed = 0;
    for (Map<String, String> row : t.after().rows()) {
      List<String> key = key(row, t.keyColumns());
      afterKeys.add(key);
      Map<String, String> old = before.get(key);
      if (old == null) {
        added++;
        rows.add(
            new Block.Row(
                Block.Marker.ADDED,
                columns.stream()
                    .map(c -> List.of(Span.inserted(row.getOrDefault(c, ""))))
                    .toList()));
      } else if (columns.stream()
          .anyMatch(c -> !old.getOrDefault(c, "").equals(row.getOrDefault(c, "")))) {
        changed++;
        rows.add(
            new Block.Row(
                Block.Marker.CHANGED,
                columns.stream()
                    .map(c -> cell(old.getOrDefault(c, ""), row.getOrDefault(c, "")))
                    .toList()));
      }
    }
    int removed = 0;
    for (Map<String, String> row : t.before().rows()) {
      if (!afterKeys.contains(key(row, t.keyColumns()))) {
        removed++;
        rows.add(
            new Block.Row(
                Block.Marker.REMOVED,
                columns.stream()
                    .map(c -> List.of(Span.deleted(row.getOrDefault(c, ""))))
                    .toList()));
      }
    }
    int unchanged = t.after().rows().size() - added - changed;
    List<String> summary = new ArrayList<>();
    summary.add(
        "rows: "
            + added
            + " added, "
            + removed
            + " removed, "
            + changed
            + " changed, "
            + unchanged
            + " unchanged");
    if (!addedColumns.isEmpty() || !removedColumns.isEmpty()) {
      summary.add(
          "columns: "
              + addedColumns.size()
              + " added "
              + addedColumns
              + ", "
              + removedColumns.size()
              + " removed "
              + removedColumns);
    }
    summary.addAll(totals(t, columns));
    if (!ignored.isEmpty()) {
      summary.add("ignored columns: " + t.ignoredColumns());
    }
    Block.Row header =
        new Block.Row(
            Block.Marker.CONTEXT,
            columns.stream()
                .map(
                    c ->
                        List.of(
                            addedColumns.contains(c)
                                ? Span.inserted(c)
                                : removedColumns.contains(c)
                                    ? Span.deleted(c)
                                    : t.keyColumns().contains(c) ? Span.strong(c) : Span.plain(c)))
                .toList());
    return new Surface(
        "Table '" + t.name() + "': +" + added + " -" + removed + " ~" + changed + " rows",
        summary,
        List.of(new Block.Grid(header, rows)));
  }

  private static List<Span> cell(String old, String now) {
    if (old.equals(now)) {
      return List.of(Span.plain(now));
    }
    if (old.isEmpty() || now.isEmpty()) {
      return List.of(now.isEmpty() ? Span.deleted(old) : Span.inserted(now));
    }
    BigDecimal a = number(old);
    BigDecimal b = number(now);
    List<Span> spans =
        new ArrayList<>(List.of(Span.deleted(old), Span.plain(" -> "), Span.inserted(now)));
    if (a != null && b != null) {
      spans.add(Span.plain(" (" + delta(a, b) + ")"));
    }
    return spans;
  }

  /** {@code +2.50, +25.0%}; the percentage is left out when the old value is zero. */
  static String delta(BigDecimal a, BigDecimal b) {
    BigDecimal d = b.subtract(a);
    String abs = (d.signum() > 0 ? "+" : "") + d.toPlainString();
    if (a.signum() == 0) {
      return abs;
    }
    BigDecimal pct =
        d.multiply(BigDecimal.valueOf(100))
            .divide(a.abs(), MathContext.DECIMAL64)
            .setScale(1, RoundingMode.HALF_UP);
    return abs + ", " + (pct.signum() > 0 ? "+" : "") + pct.toPlainString() + "%";
  }

  private static List<String> totals(Table t, List<String> columns) {
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      if (t.keyColumns().contains(c)) {
        continue;
      }
      BigDecimal a = total(t.before(), c);
      BigDecimal b = total(t.after(), c);
      if (a != null && b != null && a.compareTo(b) != 0) {
        out.add(
            "total "
                + c
                + ": "
                + a.toPlainString()
                + " -> "
                + b.toPlainString()
                + " ("
                + delta(a, b)
                + ")");
      }
    }
    return out;
  }

  private static @Nullable BigDecimal total(Table.Data data, String column) {
    if (!data.columns().contains(column)) {
      return null;
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (Map<String, String> row : data.rows()) {
      String v = row.getOrDefault(column, "");
      BigDecimal n = number(v);
      if (n == null && !v.isEmpty()) {
        return null;
      }
      sum = n == null ? sum : sum.add(n);
    }
    return sum;
  }

  private static @Nullable BigDecimal number(String s) {
    if (s.isEmpty() || s.length() > 40 || !NUMBER.matcher(s).matches()) {
      return null;
    }
    return new BigDecimal(s);
  }
}
