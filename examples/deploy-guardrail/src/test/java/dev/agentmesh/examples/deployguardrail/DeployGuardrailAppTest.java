package dev.agentmesh.examples.deployguardrail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main class in its own JVM, as the README command runs it (against the real RabbitMQ). */
class DeployGuardrailAppTest {

  @Test
  void theReadmeCommandChecksThreeMessagesAndPrintsTwoVerdictsAndASessionLog(@TempDir Path dir) {
    ForkedJvm.Result r =
        ForkedJvm.run(
            DeployGuardrailApp.class.getName(),
            Map.of(),
            Map.of("agentmesh.example.db", dir.resolve("deploy-guardrail.db").toString()),
            Duration.ofMinutes(2));

    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout())
        .contains("Model: none (deploy-guardrail is a deterministic agent: Java rules, no model)")
        .containsPattern("Verdict for billing \\(production, message deploy-\\w+-1\\): ALLOW")
        .containsPattern("Verdict for search \\(production, message deploy-\\w+-2\\): BLOCK")
        .contains("  - freeze-window: requested for Saturday 12:00 Europe/Berlin")
        .contains("  - migration-rollback: migration '0007_drop_legacy_column' has no rollback")
        .contains("  - image-tag: image 'registry.example.com/search:latest' uses the tag 'latest'")
        .contains("  - approvals: production needs 2 approvals")
        .contains("3 messages, 2 verdicts: the message delivered twice was checked once")
        .contains("  4 session.completed\n  5 deploy.verdict-published");
  }

  @Test
  void withoutABrokerItSaysWhatToStartAndExitsWithOne() {
    ForkedJvm.Result r =
        ForkedJvm.run(
            DeployGuardrailApp.class.getName(),
            Map.of("RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:1"),
            Map.of(),
            Duration.ofMinutes(1));

    assertThat(r.exitCode()).isOne();
    assertThat(r.stdout())
        .contains("RabbitMQ is not reachable at 127.0.0.1:1")
        .contains("This example needs RabbitMQ: start it (`rabbitmq-server -detached`");
  }
}
