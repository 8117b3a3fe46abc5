package dev.agentmesh.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The agent specs and trigger files pass {@code agentmesh validate}; the README draws them. */
class MeshFilesTest {

  static final String[] FILES = {
    "src/main/resources/agents", "--triggers", "src/main/resources/triggers"
  };

  @Test
  void theSpecsAndTriggerFilesPassAgentmeshValidate() {
    Run run = run("validate");
    assertThat(run.code).as(run.err).isEqualTo(Main.OK);
  }

  @Test
  void theReadmeShowsTheGraphAgentmeshGraphPrints() throws Exception {
    Run run = run("graph");
    assertThat(run.code).as(run.err).isEqualTo(Main.OK);
    String readme = Files.readString(Path.of("README.md"));
    String block = readme.substring(readme.indexOf("```mermaid\n") + "```mermaid\n".length());
    assertThat(block.substring(0, block.indexOf("```"))).isEqualTo(run.out);
  }

  private static Run run(String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = new String[FILES.length + 1];
    args[0] = command;
    System.arraycopy(FILES, 0, args, 1, FILES.length);
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Run(int code, String out, String err) {}
}
