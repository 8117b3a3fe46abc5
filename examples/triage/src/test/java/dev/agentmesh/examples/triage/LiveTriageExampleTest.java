package dev.agentmesh.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example against a real OpenAI-compatible endpoint: runs only when {@code OPENAI_BASE_URL} is
 * set (with {@code OPENAI_API_KEY} and {@code OPENAI_MODEL} where the server needs them), e.g.
 * {@code OPENAI_BASE_URL=http://localhost:11434/v1 OPENAI_MODEL=qwen3:8b ./mvnw -pl examples/triage
 * -am verify}.
 */
@EnabledIfEnvironmentVariable(named = "OPENAI_BASE_URL", matches = ".+")
class LiveTriageExampleTest {

  @Test
  void theExampleTriagesTicketsAndRunsItsSessionOnARealModel(@TempDir Path dir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    try (Mesh mesh = TriageMesh.create(TriageMesh.modelFrom(System.getenv(), out))) {
      TriageApp.triageTickets(mesh, out);
      SessionState state = TriageApp.runSession(mesh, dir.resolve("live.db"), out);

      assertThat(state.status()).isEqualTo(SessionStatus.COMPLETED);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed).startsWith("Model: ").doesNotContain("offline stand-in");
    for (TriageMesh.Ticket ticket : TriageApp.TICKETS) {
      assertThat(printed)
          .containsPattern(
              ticket.customer() + " +\".*\" +-> (low|normal|high) +(billing|engineering|support)");
    }
  }
}
