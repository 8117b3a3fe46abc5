package dev.agentmesh.examples.prioritylist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.cli.Main;
import dev.agentmesh.testsupport.DocsExamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The example's specs and trigger file pass {@code agentmesh validate}, and the README shows what
 * {@code agentmesh graph} draws of them and the command that runs the demo.
 */
class SpecsAndReadmeTest {

  static final Path README = Path.of("README.md");
  static final String AGENTS = "src/main/resources/agents";
  static final String TRIGGERS = "src/main/resources/triggers";
  static final String COMMAND =
      "./mvnw -q -pl examples/priority-list -am package -DskipTests exec:java";

  @Test
  void agentmeshValidateAcceptsTheAgentsAndTheirTriggers() {
    Run run = agentmesh("validate", AGENTS, "--triggers", TRIGGERS);

    assertThat(run.exit()).as(run.err()).isEqualTo(Main.OK);
    assertThat(run.out()).contains("2 agents");
  }

  @Test
  void theReadmesGraphIsWhatAgentmeshGraphDraws() {
    Run run = agentmesh("graph", AGENTS, "--triggers", TRIGGERS);

    assertThat(run.exit()).as(run.err()).isEqualTo(Main.OK);
    assertThat(DocsExamples.blocks(README, "mermaid")).containsExactly(run.out().stripTrailing());
  }

  @Test
  void theReadmeSaysWhatItNeedsThenTheCommand() throws IOException {
    String readme = Files.readString(README);

    assertThat(readme.lines().skip(2).findFirst().orElse("")).startsWith("Needs nothing but a JDK");
    assertThat(readme).contains("\n" + COMMAND + "\n");
    assertThat(Files.readString(Path.of("pom.xml")))
        .contains("<mainClass>" + PriorityListApp.class.getName() + "</mainClass>");
  }

  record Run(int exit, String out, String err) {}

  static Run agentmesh(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(args, o, e);
    }
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
