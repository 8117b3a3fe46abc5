package dev.agentmesh.examples.prioritylist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The main class in a fresh JVM, as the README's {@code exec:java} command runs it (no nested Maven
 * build): scripted model, sessions in a SQLite file under {@code target/}, the host's zone set to
 * Europe/Berlin. A second run on the same file finds the 9:00 occurrence already fired.
 */
class PriorityListAppTest {

  @Test
  void theDemoFiresTheCronDeliversToSlackAndShowsAllFourTriggersAgree() throws IOException {
    Path db = Path.of("target/forked-priority-list.db").toAbsolutePath();
    for (String suffix : new String[] {"", "-wal", "-shm"})
      Files.deleteIfExists(Path.of(db + suffix));
    Map<String, String> props =
        Map.of("agentmesh.example.db", db.toString(), "user.timezone", "Europe/Berlin");

    ForkedJvm.Result first =
        ForkedJvm.run(PriorityListApp.class.getName(), Map.of(), props, Duration.ofMinutes(3));
    ForkedJvm.Result second =
        ForkedJvm.run(PriorityListApp.class.getName(), Map.of(), props, Duration.ofMinutes(3));

    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(first.stdout())
        .startsWith("Model: ")
        .contains("Cron: cron \"0 9 * * MON-FRI\" (unix) in Europe/Berlin")
        .contains("1. cron      2026-11-30T09:00+01:00[Europe/Berlin] -> session ")
        .contains("delivering 5 messages to Slack")
        .contains("Today's priorities for Priya Nair (2026-11-30)")
        .contains("Umbrella Health")
        .contains("Escalation for manager 104: Acme Corp, urgent ticket 7001 open 14 days")
        .contains("2. human      human:dana -> session ")
        .contains("3. agent      session:")
        .contains("4. webhook 202 webhook:crm-owner-changed -> session ")
        .contains("All four triggers made the same list for the same data.");
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stdout())
        .contains("that occurrence already fired in an earlier run on this store")
        .doesNotContain("delivering")
        .contains("All four triggers made the same list for the same data.");
  }
}
