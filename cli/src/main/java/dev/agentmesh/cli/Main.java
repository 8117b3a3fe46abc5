package dev.agentmesh.cli;

import dev.agentmesh.core.SpecProblem;
import dev.agentmesh.core.internal.spec.Names;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The {@code agentmesh} command: {@code validate} checks agent spec files and trigger files, {@code
 * graph} draws them as a Mermaid flowchart.
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
      Usage: agentmesh <command> <dir|file>... [--triggers <dir|file>]...

      Commands:
        validate <dir|file>...  Check agent specs (.yaml, .yml, .json; directories recursively)
                                and how they refer to each other. Prints every problem as
                                file:line:col: message and a one-line summary.
        graph <dir|file>...     Print the agents, their child agents, tools and model aliases
                                (and triggers, with --triggers) as a Mermaid flowchart; the
                                specs must be valid.

      Options:
        --triggers <dir|file>   Trigger files to check (validate) or draw (graph) with the
                                specs: cron expressions parse, agents exist among the specs,
                                secrets are references, the agents in an agent trigger's
                                'from' have start_session. Repeatable.
        -h, --help              Show this help.
        -V, --version           Show the version.

      Exit codes: 0 all specs valid, 1 problems found, 2 wrong usage.
      Models, tools and guardrails are bound by the host at run time and are not checked here.
      """;

  private static final List<String> TOP_LEVEL =
      List.of("validate", "graph", "help", "--help", "--version");
  private static final List<String> COMMAND_OPTIONS = List.of("--help", "--triggers");

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
    List<Path> triggers = new ArrayList<>();
    boolean options = true;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (options && arg.equals("--triggers")) {
        if (i + 1 == args.size()) {
          return usageError(err, "--triggers needs a trigger file or directory after it");
        }
        triggers.add(Path.of(args.get(++i)));
      } else if (options && arg.startsWith("--triggers=")) {
        triggers.add(Path.of(arg.substring("--triggers=".length())));
      } else if (options && arg.equals("--")) {
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
                + "; it takes paths, --triggers <path> and --help (a path that starts with '-' goes after --)");
      } else {
        paths.add(Path.of(arg));
      }
    }
    if (paths.isEmpty())
      return usageError(err, command + " needs at least one spec file or directory");
    SpecCheck check = SpecCheck.of(paths, triggers);
    return command.equals("validate") ? validate(check, out, err) : graph(check, out, err);
  }

  private static int validate(SpecCheck check, PrintStream out, PrintStream err) {
    if (!check.ok()) return report(check, err);
    int n = check.specs().size();
    int t = check.triggers().size();
    out.println(
        n
            + (n == 1 ? " agent" : " agents")
            + (t == 0 ? "" : t == 1 ? ", 1 trigger" : ", " + t + " triggers")
            + " OK");
    return OK;
  }

  private static int graph(SpecCheck check, PrintStream out, PrintStream err) {
    if (!check.ok()) return report(check, err);
    out.print(MermaidGraph.render(check.specs(), check.triggers()));
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
    return Names.didYouMean(typed.toLowerCase(java.util.Locale.ROOT), candidates);
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
