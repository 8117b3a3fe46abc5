package dev.agentmesh.examples.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The example's YAML passes {@code agentmesh validate}, and the README's graph is exactly what
 * {@code agentmesh graph} draws of it.
 */
class SpecsAndGraphTest {

  static final String AGENTS = "src/main/resources/agents";

  static final String TRIGGERS = "src/main/resources/triggers";

  @Test
  void theAgentSpecsPassAgentmeshValidate() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit =
        Main.run(new String[] {"validate", AGENTS, "--triggers", TRIGGERS}, print(out), print(err));

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(Main.OK);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1 agent, 1 trigger OK\n");
  }

  @Test
  void theReadmeShowsTheGraphAgentmeshDraws() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        Main.run(
            new String[] {"graph", AGENTS, "--triggers", TRIGGERS},
            print(out),
            print(new ByteArrayOutputStream()));
    String readme = Files.readString(Path.of("README.md"));

    assertThat(exit).isEqualTo(Main.OK);
    int start = readme.indexOf("```mermaid\n");
    assertThat(start).as("a mermaid block in README.md").isNotNegative();
    int end = readme.indexOf("```\n", start + 11);
    assertThat(readme.substring(start + 11, end)).isEqualTo(out.toString(StandardCharsets.UTF_8));
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
