package dev.agentmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command in a {@code ```bash} block of README.md, cli/README.md and docs/*.md, as a user
 * types it in the repository's root: the CLI commands run here against the jar the build made; any
 * other command must be named in {@link #ELSEWHERE} with where it is tested or why not, so a
 * command added to a page without a test fails the build.
 */
class DocsCommandsIT {

  /** The built jar, which failsafe names; the repository's root is three levels up from it. */
  private static final Path JAR =
      Path.of(System.getProperty("agentmesh.cli.jar", "target/agentmesh-cli.jar")).toAbsolutePath();

  private static final Path ROOT = JAR.getParent().getParent().getParent();

  private static final Map<String, String> ELSEWHERE =
      Map.of(
          "./mvnw -q -pl examples/triage -am package -DskipTests exec:java",
              "the demo: examples' ReadmeDemoCommandTest",
          "./mvnw -B verify", "the test suite itself; CI runs it",
          "./mvnw -q -pl cli -am package -DskipTests",
              "builds the jar this test runs, as the build running it did",
          "./mvnw -B -pl cli -am package -DskipTests",
              "builds the jar this test runs, as the build running it did",
          "./mvnw -q -pl benchmarks -am package -DskipTests",
              "benchmarks are exempt: minutes, not a check");

  @TempDir Path dir;

  @Test
  void everyCommandOnThePagesRunsHereOrIsNamedAsTestedElsewhere() throws Exception {
    assertThat(JAR)
        .as("the shaded jar; run `./mvnw -pl cli -am verify`, which packages it first")
        .isRegularFile();
    assertThat(ROOT.resolve("README.md"))
        .as("the repository's root, from the jar's path")
        .isRegularFile();
    String jarAsTyped = ROOT.relativize(JAR).toString();
    List<String> ran = new ArrayList<>();

    for (Command command : commands()) {
      String[] words = command.line().split("\\s+");
      if (words[0].equals("java") && words[1].equals("-jar") && words[2].startsWith("cli/")) {
        assertThat(words[2]).as("the jar in %s", command).isEqualTo(jarAsTyped);
        check(command, run(javaCommand(words)), words[3]);
      } else if (words[0].equals("cli/bin/agentmesh")) {
        check(command, run(List.of(words)), words[1]);
      } else if (words[0].endsWith("java")
          && Arrays.stream(words).anyMatch(w -> w.startsWith("benchmarks/"))) {
        continue; // JMH runs and harnesses (on any JDK): benchmarks are exempt (minutes, not a
        // check)
      } else {
        assertThat(ELSEWHERE)
            .as("%s: run it in a test, or name it in DocsCommandsIT.ELSEWHERE", command)
            .containsKey(command.line());
        continue;
      }
      ran.add(command.line());
    }

    assertThat(ran).as("the CLI commands of README.md and cli/README.md").hasSize(4);
  }

  private static void check(Command command, Result result, String subcommand) {
    assertThat(result.exit()).as("exit code of %s; stderr: %s", command, result.err()).isZero();
    assertThat(result.err()).as("stderr of %s", command).isEmpty();
    if (subcommand.equals("validate")) {
      assertThat(result.out()).as("%s", command).isEqualTo("3 agents OK\n");
    } else {
      assertThat(subcommand).isEqualTo("graph");
      assertThat(result.out())
          .as("%s", command)
          .startsWith("flowchart LR\n")
          .contains("triage", "security-reviewer");
    }
  }

  private static List<String> javaCommand(String[] words) {
    List<String> command = new ArrayList<>(Arrays.asList(words));
    command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return command;
  }

  private Result run(List<String> command) throws IOException, InterruptedException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS))
        .as("%s finished within a minute", command)
        .isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** The commands of every {@code ```bash} block, without comments, each with its page. */
  private static List<Command> commands() throws IOException {
    List<Path> pages =
        new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("cli/README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<Command> commands = new ArrayList<>();
    for (Path page : pages) {
      boolean inBlock = false;
      for (String line : Files.readAllLines(page)) {
        if (!inBlock) {
          inBlock = line.strip().equals("```bash");
        } else if (line.strip().equals("```")) {
          inBlock = false;
        } else {
          String command = line.replaceFirst("\\s+#.*$", "").strip();
          if (!command.isEmpty() && !command.startsWith("#"))
            commands.add(new Command(ROOT.relativize(page), command));
        }
      }
    }
    assertThat(commands).as("commands on the pages").isNotEmpty();
    return commands;
  }

  private record Command(Path page, String line) {
    @Override
    public String toString() {
      return "`" + line + "` (" + page + ")";
    }
  }

  private record Result(int exit, String out, String err) {}
}
