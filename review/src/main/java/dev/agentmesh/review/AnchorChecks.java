package dev.agentmesh.review;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/** Checks an {@link Anchor} against the artifact it points into; says what exists when it fails. */
final class AnchorChecks {

  /** The most existing rows, files or fields a message lists. */
  private static final int SHOWN = 10;

  private static final List<String> MESSAGE_FIELDS =
      List.of("channel", "sender", "to", "cc", "bcc", "subject", "body");

  private AnchorChecks() {}

  /** The problem of {@code anchor} in {@code artifact}, or null when it points at something. */
  static @Nullable String problem(Anchor anchor, ReviewArtifact artifact) {
    if (anchor instanceof Anchor.Lines l) {
      return lines(l, artifact);
    } else if (anchor instanceof Anchor.Cell c) {
      return cell(c, artifact);
    } else if (anchor instanceof Anchor.Field f) {
      return field(f, artifact);
    } else if (anchor instanceof Anchor.Region r) {
      return region(r, artifact);
    }
    return null; // Anchor.Whole fits every artifact
  }

  private static @Nullable String lines(Anchor.Lines l, ReviewArtifact artifact) {
    if (artifact instanceof CodeDiff diff) {
      return diffLines(l, diff);
    }
    String text =
        artifact instanceof Document d
            ? d.after()
            : artifact instanceof OutboundMessage m ? m.body() : null;
    if (text == null) {
      return unsupported(l, artifact);
    }
    String what = artifact instanceof Document ? "the document's proposed text" : "the body";
    if (l.file() != null) {
      return l.describe()
          + " names a file, but "
          + what
          + " has no files; use Anchor.lines(null, from, to)";
    }
    long count = text.lines().count();
    return l.to() > count
        ? l.describe()
            + " is beyond "
            + what
            + ", which has "
            + Texts.plural(count, "line", "lines")
            + " (numbered from 1)"
        : null;
  }

  private static @Nullable String diffLines(Anchor.Lines l, CodeDiff diff) {
    List<String> paths = diff.files().stream().map(CodeDiff.FileChange::path).toList();
    if (l.file() == null) {
      return l.describe()
          + " names no file, but a code diff has lines per file; name one of "
          + shown(paths);
    }
    CodeDiff.FileChange file =
        diff.files().stream().filter(f -> f.path().equals(l.file())).findFirst().orElse(null);
    if (file == null) {
      return "the diff has no file '"
          + Texts.truncate(l.file(), 120)
          + "'; its files are "
          + shown(paths);
    }
    List<int[]> shown = newRanges(file.patch());
    for (int[] range : shown) {
      if (l.from() >= range[0] && l.to() <= range[1]) {
        return null;
      }
    }
    List<String> ranges =
        shown.stream().map(r -> r[0] == r[1] ? "" + r[0] : r[0] + "-" + r[1]).toList();
    return l.describe()
        + " is not shown by the diff; comment on lines of the new version it shows: "
        + (ranges.isEmpty() ? "none (anchor the whole artifact)" : String.join(", ", ranges));
  }

  /** The new-version line ranges, inclusive, of each hunk with new lines. */
  private static List<int[]> newRanges(String patch) {
    List<int[]> ranges = new ArrayList<>();
    for (String line : patch.split("\n", -1)) {
      Matcher m = CodeDiffSurface.HUNK.matcher(line);
      if (m.matches()) {
        int start = Integer.parseInt(m.group(3));
        int count = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
        if (count > 0) {
          ranges.add(new int[] {start, start + count - 1});
        }
      }
    }
    return ranges;
  }

  private static @Nullable String cell(Anchor.Cell c, ReviewArtifact artifact) {
    if (!(artifact instanceof Table table)) {
      return unsupported(c, artifact);
    }
    Set<String> keyColumns = new LinkedHashSet<>(table.keyColumns());
    if (!c.rowKey().keySet().equals(keyColumns)) {
      return c.describe()
          + " does not name the table's key columns; its row key must give exactly "
          + table.keyColumns();
    }
    Set<String> columns = new LinkedHashSet<>(table.after().columns());
    columns.addAll(table.before().columns());
    Set<String> keys = new LinkedHashSet<>();
    boolean found = false;
    for (Table.Data side : List.of(table.after(), table.before())) {
      for (Map<String, String> row : side.rows()) {
        Map<String, String> key = new TreeMap<>();
        table.keyColumns().forEach(k -> key.put(k, row.getOrDefault(k, "")));
        keys.add(key(key));
        found |= key.equals(c.rowKey());
      }
    }
    if (!found) {
      return "the table has no row " + key(c.rowKey()) + "; its rows are " + shown(keys);
    }
    return columns.contains(c.column())
        ? null
        : "the table has no column '"
            + Texts.truncate(c.column(), 80)
            + "'; its columns are "
            + shown(columns);
  }

  private static @Nullable String field(Anchor.Field f, ReviewArtifact artifact) {
    List<String> fields;
    String what;
    if (artifact instanceof RecordChange change) {
      fields = change.changes().stream().map(RecordChange.FieldChange::field).toList();
      what = "the record change touches no field";
    } else if (artifact instanceof Action action) {
      fields = new ArrayList<>(action.arguments().propertyNames());
      what = "the action has no argument";
    } else if (artifact instanceof OutboundMessage) {
      fields = MESSAGE_FIELDS;
      what = "a message has no part";
    } else {
      return unsupported(f, artifact);
    }
    return fields.contains(f.name())
        ? null
        : what + " '" + Texts.truncate(f.name(), 80) + "'; it has " + shown(fields);
  }

  private static @Nullable String region(Anchor.Region r, ReviewArtifact artifact) {
    if (!(artifact instanceof VisualChange change)) {
      return unsupported(r, artifact);
    }
    byte[] after = change.after();
    List<String> problems = Png.problems("the after", after, ReviewLimits.defaults());
    if (!problems.isEmpty()) {
      return problems.get(0);
    }
    long width = Integer.toUnsignedLong(Png.width(after));
    long height = Integer.toUnsignedLong(Png.height(after));
    return (long) r.x() + r.width() <= width && (long) r.y() + r.height() <= height
        ? null
        : r.describe()
            + " is outside the after image, which is "
            + width
            + "x"
            + height
            + " px (x from 0 to "
            + (width - 1)
            + ", y from 0 to "
            + (height - 1)
            + ")";
  }

  private static String unsupported(Anchor anchor, ReviewArtifact artifact) {
    String type = typeName(artifact);
    String fits =
        switch (type) {
          case "code-diff" -> "Anchor.line(file, n) or Anchor.lines(file, from, to)";
          case "document" -> "Anchor.line(n) or Anchor.lines(null, from, to)";
          case "outbound-message" -> "Anchor.line(n) (of the body) or Anchor.field(part)";
          case "table" -> "Anchor.cell(rowKey, column)";
          case "record-change", "action" -> "Anchor.field(name)";
          case "visual-change" -> "Anchor.region(x, y, width, height)";
          default -> "only Anchor.whole(), as the review module knows no places in host types";
        };
    return "a '" + type + "' artifact has no " + anchor.describe() + "; use " + fits;
  }

  private static String typeName(ReviewArtifact artifact) {
    return StandardTypes.all().stream()
        .filter(t -> t.javaType().equals(artifact.getClass()))
        .map(ArtifactType::name)
        .findFirst()
        .orElse(artifact.getClass().getSimpleName());
  }

  /** A row key as {@code col=value, col=value}. */
  static String key(Map<String, String> key) {
    List<String> parts = new ArrayList<>();
    key.forEach((k, v) -> parts.add(Texts.truncate(k, 40) + "=" + Texts.truncate(v, 40)));
    return String.join(", ", parts);
  }

  private static String shown(java.util.Collection<String> items) {
    List<String> all = items.stream().map(s -> Texts.truncate(s, 80)).toList();
    return all.size() <= SHOWN
        ? all.toString()
        : all.subList(0, SHOWN) + " and " + (all.size() - SHOWN) + " more";
  }
}
