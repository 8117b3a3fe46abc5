package dev.agentmesh.core.internal.spec;

import dev.agentmesh.core.SpecProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Finds and reads spec files on disk, for agent specs and trigger files alike: directories searched
 * recursively, each file once (by its real path), hidden entries skipped, every failure a located
 * problem.
 */
public final class SpecFiles {

  private SpecFiles() {}

  /**
   * The {@code .yaml}, {@code .yml} and {@code .json} files of the paths, each once (by its real
   * path, so a file reached twice or through a symlink is read once); a directory's hidden entries
   * (names starting with '.', such as a Kubernetes ConfigMap's {@code ..data}) are skipped. A
   * directory without such files, and a path that does not exist, are problems.
   *
   * @param paths files and directories
   * @param kind what the files hold, for messages
   * @param problems where problems go
   * @return the files, in the order of the paths, each directory's in path order
   */
  public static List<Path> find(
      List<Path> paths, SpecTree.Kind kind, Consumer<SpecProblem> problems) {
    List<Path> files = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Path path : paths) {
      if (Files.isRegularFile(path)) {
        if (seen.add(realPath(path))) files.add(path);
      } else if (Files.isDirectory(path)) {
        List<Path> found;
        try (Stream<Path> walk = Files.walk(path)) {
          found =
              walk.filter(p -> !hidden(path.relativize(p)))
                  .filter(Files::isRegularFile)
                  .filter(p -> isSpecName(p.getFileName().toString()))
                  .sorted()
                  .toList();
        } catch (IOException | UncheckedIOException e) {
          problems.accept(
              new SpecProblem(
                  path.toString(), 0, 0, "cannot list the directory: " + e.getMessage()));
          continue;
        }
        if (found.isEmpty()) {
          problems.accept(
              new SpecProblem(
                  path.toString(),
                  0,
                  0,
                  "no "
                      + kind.noun()
                      + "s found; expected .yaml, .yml or .json files (directories are searched recursively)"));
        }
        for (Path file : found) {
          if (seen.add(realPath(file))) files.add(file);
        }
      } else {
        problems.accept(
            new SpecProblem(
                path.toString(),
                0,
                0,
                "no such file or directory; expected a spec file or a directory of them"));
      }
    }
    return files;
  }

  /**
   * A file's bytes, or {@code null} after a problem when it is too large or cannot be read.
   *
   * @param file the file
   * @param kind what the file holds, for messages
   * @param problems where problems go
   * @return the bytes, or null
   */
  public static byte @Nullable [] read(
      Path file, SpecTree.Kind kind, Consumer<SpecProblem> problems) {
    String source = file.toString();
    try {
      long size = Files.size(file);
      if (size > SpecTree.MAX_BYTES) {
        problems.accept(SpecTree.tooLarge(source, size, kind));
        return null;
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      problems.accept(
          new SpecProblem(
              source,
              0,
              0,
              "cannot read the file: "
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")));
      return null;
    }
  }

  /**
   * Whether a file name is a spec's: {@code .yaml}, {@code .yml} or {@code .json}, in any case.
   *
   * @param name the file name
   * @return whether it is read
   */
  public static boolean isSpecName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  private static boolean hidden(Path relative) {
    for (Path name : relative) {
      if (name.toString().startsWith(".")) return true;
    }
    return false;
  }

  private static Path realPath(Path file) {
    try {
      return file.toRealPath();
    } catch (IOException e) {
      return file.toAbsolutePath().normalize();
    }
  }
}
