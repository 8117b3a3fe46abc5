package dev.agentmesh.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.cli.Main;
import dev.agentmesh.testsupport.DocsExamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every example's README promises, checked the same way in each example's tests (run from the
 * example's folder, as Surefire does): its files pass {@code agentmesh validate}, its mermaid graph
 * is what {@code agentmesh graph} draws, and its command runs the main class the test runs. Shipped
 * in this module's test jar; each example adds its own assertions on what it prints.
 *
 * <pre>{@code
 * ExampleReadme.assertValid("src/main/resources/agents", "--triggers", "src/main/resources/triggers");
 * ExampleReadme.assertGraph("src/main/resources/agents", "--triggers", "src/main/resources/triggers");
 * ExampleReadme.assertCommand("crm-update", CrmUpdateApp.class);
 * }</pre>
 */
public final class ExampleReadme {

  /** The README of the example whose tests run. */
  public static final Path README = Path.of("README.md");

  private ExampleReadme() {}

  /**
   * What one {@code agentmesh} command printed.
   *
   * @param exit its exit status ({@link Main#OK} on success)
   * @param out what it printed on standard output
   * @param err what it printed on standard error
   */
  public record CliRun(int exit, String out, String err) {}

  /**
   * Runs the {@code agentmesh} command line in this JVM.
   *
   * @param args the command and its arguments, as typed after {@code agentmesh}
   * @return its exit status and output
   */
  public static CliRun agentmesh(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(args, o, e);
    }
    return new CliRun(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Asserts that {@code agentmesh validate} accepts {@code files}.
   *
   * @param files the folders and options after {@code validate}
   * @return what it printed, for the example's own assertions
   */
  public static CliRun assertValid(String... files) {
    CliRun run = agentmesh(prepend("validate", files));
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(Main.OK);
    return run;
  }

  /**
   * Asserts that the README's one mermaid block is what {@code agentmesh graph} draws of {@code
   * files}; paste the command's output there when the specs change.
   *
   * @param files the folders and options after {@code graph}
   */
  public static void assertGraph(String... files) {
    CliRun run = agentmesh(prepend("graph", files));
    assertThat(run.exit()).as(run.err()).isEqualTo(Main.OK);
    assertThat(DocsExamples.blocks(README, "mermaid"))
        .as("the README's graph (paste what agentmesh graph prints)")
        .containsExactly(run.out().stripTrailing());
  }

  /**
   * Asserts that the README shows, on a line of its own, the command that runs example {@code
   * module}, and that its pom runs {@code mainClass}.
   *
   * @param module the example's folder under {@code examples/}
   * @param mainClass the class the example's tests run in a JVM of its own
   */
  public static void assertCommand(String module, Class<?> mainClass) {
    String command = "./mvnw -q -pl examples/" + module + " -am package -DskipTests exec:java";
    assertThat(read(README)).contains("\n" + command + "\n");
    assertThat(read(Path.of("pom.xml")))
        .contains("<mainClass>" + mainClass.getName() + "</mainClass>");
  }

  private static String[] prepend(String command, String... files) {
    List<String> args = new ArrayList<>(List.of(files));
    args.add(0, command);
    return args.toArray(String[]::new);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
