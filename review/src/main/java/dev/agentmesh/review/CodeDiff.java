package dev.agentmesh.review;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.List;
import java.util.Objects;

/**
 * A change to source files: per file its path and a unified patch ({@code diff -u} / {@code git
 * diff} hunks). Its surface lists the files with {@code +/-} line counts, then each hunk with
 * intraline (word) highlights; lock and generated files are collapsed.
 *
 * <pre>{@code
 * CodeDiff diff = new CodeDiff(List.of(
 *     CodeDiff.FileChange.between("src/Main.java", oldSource, newSource)));
 * }</pre>
 *
 * @param files the changed files, in the order shown
 */
public record CodeDiff(List<FileChange> files) implements ReviewArtifact {

  /**
   * Copies the file changes.
   *
   * @param files the changed files, in the order shown
   */
  public CodeDiff {
    files = List.copyOf(files);
  }

  /**
   * One changed file.
   *
   * @param path the file's path, as in the repository
   * @param patch the unified patch: optional {@code ---}/{@code +++} headers, then hunks
   */
  public record FileChange(String path, String patch) {

    /**
     * Checks that the components are there.
     *
     * @param path the file's path, as in the repository
     * @param patch the unified patch: optional {@code ---}/{@code +++} headers, then hunks
     */
    public FileChange {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(patch, "patch");
    }

    /**
     * The change from {@code before} to {@code after} as a unified patch with 3 context lines.
     *
     * @param path the file's path
     * @param before the file's text before
     * @param after the file's text after
     * @return the change
     */
    public static FileChange between(String path, String before, String after) {
      List<String> a = before.lines().toList();
      List<String> b = after.lines().toList();
      String header = path.replace("\r", "\\r").replace("\n", "\\n");
      List<String> unified =
          UnifiedDiffUtils.generateUnifiedDiff(
              "a/" + header, "b/" + header, a, DiffUtils.diff(a, b), 3);
      return new FileChange(path, String.join("\n", unified) + "\n");
    }
  }
}
