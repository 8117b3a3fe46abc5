package dev.agentmesh.examples.securityreview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's command, as exec:java runs it: the main class in a JVM of its own. */
class ForkedRunTest {

  @Test
  void theMainClassRunsTheWholeSessionOfflineInAJvmOfItsOwn(@TempDir Path dir) {
    ForkedJvm.Result run =
        ForkedJvm.run(
            SecurityReviewApp.class.getName(),
            Map.of(),
            Map.of("agentmesh.example.db", dir.resolve("security-review.db").toString()),
            Duration.ofMinutes(2));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .startsWith("Model: the scripted stand-in")
        .contains("bo -> security-reviewer (this message only)")
        .contains("[security-reviewer]")
        .contains("ana (to the session, so to its default agent)")
        .contains("bo requests changes")
        .contains("session COMPLETED");
    assertThat(dir.resolve("security-review.db")).isNotEmptyFile();
  }
}
