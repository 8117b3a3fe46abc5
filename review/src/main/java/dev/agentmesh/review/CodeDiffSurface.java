package dev.agentmesh.review;

import dev.agentmesh.review.spi.RenderContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validation and surface of {@link CodeDiff}. */
final class CodeDiffSurface {

  static final Pattern HUNK = Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");
  private static final List<String> HEADERS =
      List.of(
          "diff ",
          "index ",
          "--- ",
          "+++ ",
          "new file mode",
          "deleted file mode",
          "old mode",
          "new mode",
          "similarity index",
          "rename from",
          "rename to",
          "Binary files");
  private static final Pattern COLLAPSED =
      Pattern.compile(
          "(^|.*/)(package-lock\\.json|yarn\\.lock|pnpm-lock\\.yaml|go\\.sum|Cargo\\.lock|poetry\\.lock|[^/]*\\.lock"
              + "|[^/]*\\.min\\.(js|css)|[^/]*\\.generated\\.[^/]+)$|(^|.*/)generated/.*");

  private CodeDiffSurface() {}

  static List<String> problems(CodeDiff diff, ReviewLimits limits) {
    List<String> problems = new ArrayList<>();
    if (diff.files().isEmpty()) {
      problems.add("a code diff needs at least one file but has none");
    }
    Set<String> paths = new HashSet<>();
    for (CodeDiff.FileChange f : diff.files()) {
      String where = "file '" + Texts.truncate(f.path(), 120) + "'";
      if (f.path().isBlank()) {
        problems.add("a file path must not be blank");
      } else if (!paths.add(f.path())) {
        problems.add(where + " appears twice; give each file one patch");
      }
      problems.addAll(patchProblems(where, f.patch()));
    }
    return problems;
  }

  private static List<String> patchProblems(String where, String patch) {
    List<String> problems = new ArrayList<>();
    int hunks = 0;
    int oldLeft = 0;
    int newLeft = 0;
    String[] lines = patch.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty() && i == lines.length - 1) {
        break;
      }
      Matcher m = HUNK.matcher(line);
      if (m.matches()) {
        problems.addAll(countProblems(where, hunks, oldLeft, newLeft));
        hunks++;
        oldLeft = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        newLeft = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
      } else if (hunks > 0
          && (line.isEmpty()
              || line.startsWith(" ")
              || line.startsWith("-")
              || line.startsWith("+"))
          && (oldLeft > 0 || newLeft > 0)) {
        oldLeft -= line.startsWith("+") ? 0 : 1;
        newLeft -= line.startsWith("-") ? 0 : 1;
      } else if (!line.startsWith("\\") && HEADERS.stream().noneMatch(line::startsWith)) {
        problems.add(
            where
                + " line "
                + (i + 1)
                + " is not part of a unified patch: '"
                + Texts.truncate(line, 60)
                + "' (expected a header, '@@ -a,b +c,d @@', or a line"
                + " starting with ' ', '+' or '-')");
        break;
      }
    }
    problems.addAll(countProblems(where, hunks, oldLeft, newLeft));
    if (hunks == 0 && !patch.contains("Binary files")) {
      problems.add(where + " has no hunk ('@@ -a,b +c,d @@'); an unchanged file is not a change");
    }
    return problems;
  }

  private static List<String> countProblems(String where, int hunk, int oldLeft, int newLeft) {
    return hunk > 0 && (oldLeft != 0 || newLeft != 0)
        ? List.of(
            where
                + " hunk "
                + hunk
                + " is short by "
                + oldLeft
                + " old and "
                + newLeft
                + " new lines (its '@@' header counts more lines than follow it)")
        : List.of();
  }

  static Surface render(CodeDiff diff, RenderContext context) {
    List<Block.Row> fileRows = new ArrayList<>();
    List<Block> details = new ArrayList<>();
    long added = 0;
    long removed = 0;
    int collapsed = 0;
    for (CodeDiff.FileChange f : diff.files()) {
      List<Block.Line> lines = lines(f.patch());
      long plus = lines.stream().filter(l -> l.marker() == Block.Marker.ADDED).count();
      long minus = lines.stream().filter(l -> l.marker() == Block.Marker.REMOVED).count();
      added += plus;
      removed += minus;
      fileRows.add(
          new Block.Row(
              Block.Marker.CHANGED,
              List.of(
                  List.of(Span.plain(f.path())),
                  List.of(Span.plain("+" + plus)),
                  List.of(Span.plain("-" + minus)))));
      String label = f.path() + " (+" + plus + " -" + minus + ")";
      if (COLLAPSED.matcher(f.path()).matches()) {
        collapsed++;
        details.add(
            new Block.Notice(
                Block.Notice.Level.NOTE, label + ": generated or lock file, collapsed"));
      } else {
        details.add(new Block.Lines(label, lines));
      }
    }
    List<String> summary =
        new ArrayList<>(
            List.of(
                Texts.plural(diff.files().size(), "file", "files") + " changed",
                "+" + added + " -" + removed + " lines"));
    if (collapsed > 0) {
      summary.add(
          Texts.plural(collapsed, "generated or lock file", "generated or lock files")
              + " collapsed");
    }
    List<Block> blocks = new ArrayList<>();
    blocks.add(
        new Block.Grid(
            new Block.Row(
                Block.Marker.CONTEXT,
                List.of(
                    List.of(Span.strong("file")),
                    List.of(Span.strong("added")),
                    List.of(Span.strong("removed")))),
            fileRows));
    blocks.addAll(details);
    return new Surface(
        "Code diff: "
            + Texts.plural(diff.files().size(), "file", "files")
            + " changed, +"
            + added
            + " -"
            + removed,
        summary,
        blocks);
  }

  /** The patch's hunk lines, with each run of removed lines paired with the added run after it. */
  private static List<Block.Line> lines(String patch) {
    List<Block.Line> out = new ArrayList<>();
    List<String> minus = new ArrayList<>();
    List<String> plus = new ArrayList<>();
    boolean inHunk = false;
    for (String line : patch.split("\n")) {
      boolean hunk = HUNK.matcher(line).matches();
      inHunk |= hunk;
      if (inHunk && line.startsWith("-")) {
        if (!plus.isEmpty()) {
          flush(out, minus, plus);
        }
        minus.add(line.substring(1));
      } else if (inHunk && line.startsWith("+")) {
        plus.add(line.substring(1));
      } else {
        flush(out, minus, plus);
        if (hunk) {
          out.add(Block.Line.of(Block.Marker.HUNK, Span.plain(line)));
        } else if (inHunk && (line.startsWith(" ") || line.isEmpty())) {
          out.add(
              Block.Line.of(
                  Block.Marker.CONTEXT, Span.plain(line.isEmpty() ? "" : line.substring(1))));
        } else if (line.startsWith("\\")) {
          out.add(Block.Line.of(Block.Marker.CONTEXT, Span.plain(line)));
        }
      }
    }
    flush(out, minus, plus);
    return out;
  }

  private static void flush(List<Block.Line> out, List<String> minus, List<String> plus) {
    int paired = Math.min(minus.size(), plus.size());
    List<List<Span>> left = new ArrayList<>();
    List<List<Span>> right = new ArrayList<>();
    for (int i = 0; i < Math.max(minus.size(), plus.size()); i++) {
      if (i < paired) {
        List<List<Span>> sides = Diffs.intraline(minus.get(i), plus.get(i));
        left.add(sides.get(0));
        right.add(sides.get(1));
      } else if (i < minus.size()) {
        left.add(List.of(Span.plain(minus.get(i))));
      } else {
        right.add(List.of(Span.plain(plus.get(i))));
      }
    }
    left.forEach(s -> out.add(new Block.Line(Block.Marker.REMOVED, s)));
    right.forEach(s -> out.add(new Block.Line(Block.Marker.ADDED, s)));
    minus.clear();
    plus.clear();
  }
}
