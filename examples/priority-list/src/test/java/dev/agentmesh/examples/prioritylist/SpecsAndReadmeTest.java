package dev.agentmesh.examples.prioritylist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.examples.support.ExampleReadme;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The example's specs and trigger file pass {@code agentmesh validate}, and the README shows what
 * {@code agentmesh graph} draws of them and the command that runs the demo.
 */
class SpecsAndReadmeTest {

  static final String AGENTS = "src/main/resources/agents";
  static final String TRIGGERS = "src/main/resources/triggers";

  @Test
  void agentmeshValidateAcceptsTheAgentsAndTheirTriggers() {
    assertThat(ExampleReadme.assertValid(AGENTS, "--triggers", TRIGGERS).out())
        .contains("2 agents");
  }

  @Test
  void theReadmesGraphIsWhatAgentmeshGraphDraws() {
    ExampleReadme.assertGraph(AGENTS, "--triggers", TRIGGERS);
  }

  @Test
  void theReadmeSaysWhatItNeedsThenTheCommand() throws IOException {
    assertThat(Files.readString(ExampleReadme.README).lines().skip(2).findFirst().orElse(""))
        .startsWith("Needs nothing but a JDK");
    ExampleReadme.assertCommand("priority-list", PriorityListApp.class);
  }
}
