package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every SLF4J call in every module's {@code src/main} has as many arguments as its format string
 * has {@code {}} placeholders, not counting a trailing Throwable (SLF4J takes a last argument that
 * is a Throwable as the exception, whatever the placeholders, so a placeholder meant for it prints
 * as {@code {}}). A source scan: calls whose format is not a string literal are skipped.
 */
class LogFormatCheckTest {

  private static final Pattern CALL =
      Pattern.compile(
          "\\b(?:log|logger|LOG|LOGGER|getLogger\\([^()]*\\))\\s*\\.\\s*(?:trace|debug|info|warn|error)\\s*\\(");
  private static final Pattern THROWABLE_DECLARATION =
      Pattern.compile(
          "\\b(?:(?:[A-Z]\\w*)?(?:Exception|Error)|Throwable|StopRun)\\s+(\\w+)\\s*[,)=;:]");

  @Test
  void everyLogCallInTheCodebaseHasOneArgumentPerPlaceholder() throws IOException {
    Path root = repositoryRoot();
    List<String> problems = new ArrayList<>();
    int[] calls = {0};
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(
              p ->
                  root.relativize(p)
                      .toString()
                      .replace('\\', '/')
                      .matches("[^/]+/src/main/java/.*"))
          .forEach(
              file -> {
                List<String> found = check(root.relativize(file).toString(), read(file), calls);
                problems.addAll(found);
              });
    }
    assertThat(calls[0]).as("log calls found (the scan must see the code)").isGreaterThan(10);
    assertThat(problems).isEmpty();
  }

  @Test
  void theCheckFindsAPlaceholderLeftForAnArgumentThatIsSometimesAThrowable() {
    String source =
        "class Drivers {\n  volatile @Nullable RuntimeException broken;\n"
            + "  void stop() {\n    log.warn(\"Session {} stopped: {}\", id, turn.broken != null ? turn.broken\n"
            + "        : \"another node drives it now\");\n"
            + "    log.warn(\"Driving session {} failed\", id, e);\n"
            + "    log.info(\"a {} and {}\", one);\n  }\n  void f() { try { } catch (SQLException | RuntimeException e) { } }\n}\n";

    List<String> problems = check("Drivers.java", source, new int[1]);

    assertThat(problems)
        .containsExactly(
            "Drivers.java:4: \"Session {} stopped: {}\" has 2 placeholder(s) but its last of 2 argument(s) "
                + "may be a Throwable, which SLF4J takes as the exception; pass a String for the placeholder",
            "Drivers.java:7: \"a {} and {}\" has 2 placeholder(s) but 1 argument(s)");
  }

  static List<String> check(String name, String source, int[] calls) {
    Set<String> throwables = new HashSet<>();
    Matcher declared = THROWABLE_DECLARATION.matcher(source);
    while (declared.find()) {
      throwables.add(declared.group(1));
    }
    List<String> problems = new ArrayList<>();
    Matcher call = CALL.matcher(source);
    while (call.find()) {
      List<String> args = arguments(source, call.end());
      String format = literal(args.isEmpty() ? "" : args.get(0));
      if (format == null) {
        continue;
      }
      calls[0]++;
      int placeholders = placeholders(format);
      int given = args.size() - 1;
      String last = given > 0 ? args.get(args.size() - 1) : "";
      boolean mayThrow = given > 0 && mayBeThrowable(last, throwables);
      long line = source.substring(0, call.start()).chars().filter(c -> c == '\n').count() + 1;
      String where =
          name + ":" + line + ": \"" + format + "\" has " + placeholders + " placeholder(s) but ";
      if (mayThrow && !isThrowable(last, throwables)) {
        problems.add(
            where
                + "its last of "
                + given
                + " argument(s) may be a Throwable, which SLF4J "
                + "takes as the exception; pass a String for the placeholder");
      } else if (placeholders != given - (mayThrow ? 1 : 0)) {
        problems.add(
            where
                + (given - (mayThrow ? 1 : 0))
                + " argument(s)"
                + (mayThrow ? " and an exception" : ""));
      }
    }
    return problems;
  }

  /** The top-level, comma-separated arguments of the call whose '(' ends at {@code from}. */
  private static List<String> arguments(String s, int from) {
    List<String> args = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int depth = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'') {
        int end = i + 1;
        while (end < s.length() && s.charAt(end) != c) {
          end += s.charAt(end) == '\\' ? 2 : 1;
        }
        current.append(s, i, Math.min(end + 1, s.length()));
        i = end;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        args.add(current.toString().strip());
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    if (!current.toString().isBlank()) {
      args.add(current.toString().strip());
    }
    return args;
  }

  /** The value of a string literal or a concatenation of literals; null for anything else. */
  private static String literal(String expression) {
    StringBuilder value = new StringBuilder();
    for (String part : expression.split("\"\\s*\\+\\s*\"")) {
      value.append(part);
    }
    String joined = value.toString().strip();
    if (joined.length() < 2
        || !joined.startsWith("\"")
        || !joined.endsWith("\"")
        || joined.substring(1, joined.length() - 1).matches(".*(?<!\\\\)\".*")) {
      return null;
    }
    return joined.substring(1, joined.length() - 1);
  }

  private static int placeholders(String format) {
    int count = 0;
    for (int i = format.indexOf("{}"); i >= 0; i = format.indexOf("{}", i + 2)) {
      if (i == 0 || format.charAt(i - 1) != '\\' || (i > 1 && format.charAt(i - 2) == '\\')) {
        count++;
      }
    }
    return count;
  }

  /** Certainly a Throwable: a declared exception variable (or field), or a new exception. */
  private static boolean isThrowable(String expression, Set<String> throwables) {
    String e = expression.strip();
    if (e.matches("new\\s+[\\w.]*(Exception|Error)\\s*\\(.*")) {
      return true;
    }
    Matcher name = Pattern.compile("(?:[\\w.]+\\.)?(\\w+)").matcher(e);
    return name.matches() && throwables.contains(name.group(1));
  }

  /** Possibly a Throwable: certainly one, or a conditional with one branch that is. */
  private static boolean mayBeThrowable(String expression, Set<String> throwables) {
    if (isThrowable(expression, throwables)) {
      return true;
    }
    int question = expression.indexOf('?');
    int colon = expression.lastIndexOf(':');
    return question > 0
        && colon > question
        && (isThrowable(expression.substring(question + 1, colon), throwables)
            || isThrowable(expression.substring(colon + 1), throwables));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isDirectory(dir.resolve("core/src/main/java"))
            && Files.isRegularFile(dir.resolve("pom.xml")))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }
}
