package dev.agentmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded jar the build made, as a user would: {@code java -jar}. Failsafe runs this in
 * {@code verify}, after {@code package}, and passes the jar's path as {@code agentmesh.cli.jar}.
 */
class RunnableJarIT {

  @TempDir Path dir;

  private final Path jar =
      Path.of(System.getProperty("agentmesh.cli.jar", "target/agentmesh-cli.jar"));

  @Test
  void theJarValidatesSpecsWithNothingButJavaOnThePath() throws Exception {
    Files.writeString(
        dir.resolve("triage.yaml"), "name: triage\ninstructions: Sort it\nmodel: fast\n");

    Result result = java("validate", dir.toString());

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("1 agent OK\n");
    assertThat(result.err()).as("nothing else on stderr, not even logging warnings").isEmpty();
  }

  @Test
  void theJarReportsProblemsAndExitsOne() throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "name: broken\nmodle: fast\ninstructions: x\n");

    Result result = java("validate", dir.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .startsWith(broken + ":2:1: unknown field 'modle' (did you mean 'model'?)")
        .endsWith("\n1 problem in 1 file\n");
  }

  @Test
  void theJarKnowsItsVersionFromTheBuild() throws Exception {
    Result result = java("--version");

    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .isEqualTo("agentmesh " + System.getProperty("agentmesh.cli.version") + "\n");
  }

  @Test
  void theJarExitsTwoOnAnUnknownCommand() throws Exception {
    Result result = java("frobnicate");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err())
        .startsWith("agentmesh: unknown command 'frobnicate'")
        .contains("Usage: agentmesh");
  }

  private Result java(String... args) throws IOException, InterruptedException {
    assertThat(jar).as("the shaded jar; run `mvn verify`, which packages it first").isRegularFile();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS))
        .as("the jar finished within a minute")
        .isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private record Result(int exit, String out, String err) {}
}
