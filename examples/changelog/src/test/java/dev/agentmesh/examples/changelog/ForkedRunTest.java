package dev.agentmesh.examples.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's command, as exec:java runs it: the main class in a JVM of its own, twice. */
class ForkedRunTest {

  @Test
  void theMainClassPublishesOnceAndASecondRunPublishesNothing(@TempDir Path dir)
      throws IOException {
    Map<String, String> props =
        Map.of(
            "agentmesh.example.db", dir.resolve("changelog.db").toString(),
            "agentmesh.example.repo", dir.resolve("repo").toString());

    ForkedJvm.Result first =
        ForkedJvm.run(ChangelogApp.class.getName(), Map.of(), props, Duration.ofMinutes(2));
    String published = Files.readString(dir.resolve("repo/CHANGELOG.md"));
    ForkedJvm.Result second =
        ForkedJvm.run(ChangelogApp.class.getName(), Map.of(), props, Duration.ofMinutes(2));

    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(first.stdout())
        .startsWith("Model: the scripted stand-in")
        .contains("trigger 'weekly-changelog' started session")
        .contains("  | *Review requested: changelog-writer proposes document")
        .contains("lead requests changes at line 5")
        .contains("lead approves: review APPROVED, effect APPLIED")
        .contains("a second approval is refused (already-decided)");
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stdout()).contains("Friday's occurrence was fired by an earlier run");
    assertThat(Files.readString(dir.resolve("repo/CHANGELOG.md"))).isEqualTo(published);
  }
}
