package dev.agentmesh.cli;

import dev.agentmesh.core.SpecProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The {@code agentmesh} command: {@code validate} checks agent spec files, {@code graph} draws them
 * as a Mermaid flowchart.
 *
 * <pre>{@code
 * $ java -jar cli/target/agentmesh-cli-0.1.0-SNAPSHOT.jar validate agents/
 * 3 agents OK
 *
 * // in-process, as the tests and build plugins do:
 * int exit = Main.run(new String[] {"validate", "agents"}, System.out, System.err);
 * }</pre>
 *
 * <p>Exit codes: {@value #OK} when every spec is valid, {@value #PROBLEMS} when any problem was
 * found (each printed to the error stream as {@code file:line:col: message}), {@value #USAGE} for
 * an unknown command or option or missing paths.
 */
public final class Main {

  /** Every spec is valid (or help or version was printed). */
  public static final int OK = 0;

  /** At least one problem was found in the specs. */
  public static final int PROBLEMS = 1;

  /** The command line was wrong: unknown command or option, or no paths. */
  public static final int USAGE = 2;

  static final String USAGE_TEXT =
      """
      Usage: agentmesh <command> <dir|file>...

      Commands:
        validate <dir|file>...  Check agent specs (.yaml, .yml, .json; directories recursively)
                                and how they refer to each other. Prints every problem as
                                file:line:col: message and a one-line summary.
        graph <dir|file>...     Print the agents, their child agents, tools and model aliases
                                as a Mermaid flowchart; the specs must be valid.

      Options:
        -h, --help              Show this help.
        -V, --version           Show the version.

      Exit codes: 0 all specs valid, 1 problems found, 2 wrong usage.
      Models, tools and guardrails are bound by the host at run time and are not checked here.
      """;

  private static final List<String> TOP_LEVEL =
      List.of("validate", "graph", "help", "--help", "--version");
  private static final List<String> COMMAND_OPTIONS = List.of("--help");

  private Main() {}

  /**
   * Runs the command and exits the JVM with its exit code.
   *
   * @param args the command and its arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command with the given arguments, printing results to {@code out} and problems and
   * usage errors to {@code err}. Never calls {@link System#exit}.
   *
   * @param args the command and its arguments
   * @param out where results go
   * @param err where problems and usage errors go
   * @return {@link #OK}, {@link #PROBLEMS} or {@link #USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) return usageError(err, "no command given");
    String command = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (command) {
      case "-h", "--help", "help" -> {
        out.print(USAGE_TEXT);
        return OK;
      }
      case "-V", "--version" -> {
        out.println("agentmesh " + version());
        return OK;
      }
      case "validate", "graph" -> {
        return runCommand(command, rest, out, err);
      }
      default -> {
        String what = command.startsWith("-") ? "option" : "command";
        return usageError(
            err,
            "unknown "
                + what
                + " '"
                + command
                + "'"
                + didYouMean(command, TOP_LEVEL)
                + "; expected validate, graph, --help or --version");
      }
    }
  }

  private static int runCommand(
      String command, List<String> args, PrintStream out, PrintStream err) {
    List<Path> paths = new ArrayList<>();
    boolean options = true;
    for (String arg : args) {
      if (options && arg.equals("--")) {
        options = false;
      } else if (options && (arg.equals("-h") || arg.equals("--help"))) {
        out.print(USAGE_TEXT);
        return OK;
      } else if (options && arg.startsWith("-") && arg.length() > 1) {
        return usageError(
            err,
            "unknown option '"
                + arg
                + "' for "
                + command
                + didYouMean(arg, COMMAND_OPTIONS)
                + "; it takes paths and --help (a path that starts with '-' goes after --)");
      } else {
        paths.add(Path.of(arg));
      }
    }
    if (paths.isEmpty())
      return usageError(err, command + " needs at least one spec file or directory");
    SpecCheck check = SpecCheck.of(paths);
    return command.equals("validate") ? validate(check, out, err) : graph(check, out, err);
  }

  private static int validate(SpecCheck check, PrintStream out, PrintStream err) {
    if (!check.ok()) return report(check, err);
    int n = check.specs().size();
    out.println(n + (n == 1 ? " agent OK" : " agents OK"));
    return OK;
  }

  private static int graph(SpecCheck check, PrintStream out, PrintStream err) {
    if (!check.ok()) return report(check, err);
    out.print(MermaidGraph.render(check.specs()));
    return OK;
  }

  private static int report(SpecCheck check, PrintStream err) {
    for (SpecProblem problem : check.problems()) err.println(problem);
    int n = check.problems().size();
    long files = check.problems().stream().map(SpecProblem::source).distinct().count();
    err.println(
        n
            + (n == 1 ? " problem" : " problems")
            + " in "
            + files
            + (files == 1 ? " file" : " files"));
    return PROBLEMS;
  }

  private static int usageError(PrintStream err, String message) {
    err.println("agentmesh: " + message);
    err.println();
    err.print(USAGE_TEXT);
    return USAGE;
  }

  /**
   * {@code " (did you mean 'x'?)"} for the closest of {@code candidates} when it is a plausible
   * typo, else empty.
   */
  static String didYouMean(String typed, List<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = editDistance(typed.toLowerCase(java.util.Locale.ROOT), candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(1, Math.min(3, typed.length() / 3))
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  /** Edit distance counting a swap of two neighbours as one edit, three rows at a time. */
  private static int editDistance(String a, String b) {
    int[] beforePrevious = new int[b.length() + 1];
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
        }
      }
      int[] oldest = beforePrevious;
      beforePrevious = previous;
      previous = current;
      current = oldest;
    }
    return previous[b.length()];
  }

  /** This build's version, from the filtered {@code version.properties}. */
  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in == null) return "unknown";
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
