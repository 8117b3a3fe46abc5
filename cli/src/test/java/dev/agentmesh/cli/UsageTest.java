package dev.agentmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsageTest {

  @Test
  void anUnknownCommandExitsTwoWithTheReasonAndTheUsage() {
    CliRun run = CliRun.of("valdate", "agents");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "agentmesh: unknown command 'valdate' (did you mean 'validate'?); expected validate, graph, --help or --version"
                + System.lineSeparator()
                + System.lineSeparator()
                + Main.USAGE_TEXT);
  }

  @Test
  void anUnknownTopLevelOptionIsCalledAnOption() {
    CliRun run = CliRun.of("--verbose");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLines().get(0))
        .isEqualTo(
            "agentmesh: unknown option '--verbose'; expected validate, graph, --help or --version");
  }

  @Test
  void anUnknownOptionOfACommandExitsTwo() {
    CliRun run = CliRun.of("validate", "--strict", "agents");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLines().get(0))
        .isEqualTo(
            "agentmesh: unknown option '--strict' for validate; it takes paths, "
                + "--triggers <path> and --help (a path that starts with '-' goes after --)");
    assertThat(run.err()).endsWith(Main.USAGE_TEXT);
  }

  @ParameterizedTest
  @CsvSource({
    "grpah, command, graph",
    "VALIDATE, command, validate",
    "--verison, option, --version",
    "--hlep, option, --help",
    "hepl, command, help"
  })
  void aMistypedCommandOrOptionGetsASuggestionAndExitsTwo(String typed, String what, String meant) {
    CliRun run = CliRun.of(typed, "agents");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLines().get(0))
        .isEqualTo(
            "agentmesh: unknown "
                + what
                + " '"
                + typed
                + "' (did you mean '"
                + meant
                + "'?); expected validate, graph, --help or --version");
  }

  @Test
  void aMistypedOptionOfACommandGetsASuggestion() {
    CliRun run = CliRun.of("graph", "--hepl", "agents");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLines().get(0))
        .isEqualTo(
            "agentmesh: unknown option '--hepl' for graph (did you mean '--help'?); "
                + "it takes paths, --triggers <path> and --help (a path that starts with '-' goes after --)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"validate", "graph"})
  void aCommandWithoutPathsExitsTwo(String command) {
    CliRun run = CliRun.of(command);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLines().get(0))
        .isEqualTo("agentmesh: " + command + " needs at least one spec file or directory");
  }

  @Test
  void noArgumentsAtAllExitTwoWithTheUsage() {
    CliRun run = CliRun.of();

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("agentmesh: no command given").endsWith(Main.USAGE_TEXT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "help"})
  void helpPrintsTheUsageToStandardOutputAndExitsZero(String option) {
    CliRun run = CliRun.of(option);

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .isEqualTo(Main.USAGE_TEXT)
        .contains("validate <dir|file>...", "graph <dir|file>...");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void helpAfterACommandPrintsTheUsageInsteadOfRunningIt() {
    CliRun run = CliRun.of("graph", "--help", "does-not-exist");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo(Main.USAGE_TEXT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--version", "-V"})
  void versionPrintsTheBuildVersionFromTheFilteredResource(String option) {
    CliRun run = CliRun.of(option);

    assertThat(run.exit()).isZero();
    assertThat(run.outLines())
        .singleElement()
        .asString()
        .matches("agentmesh \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }
}
