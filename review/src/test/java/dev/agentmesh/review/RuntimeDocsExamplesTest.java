package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testsupport.DocsExamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The runtime's snippets of docs/review.md (blocks fenced {@code ```java runtime}), run. */
class RuntimeDocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/review.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/review/RuntimeDocsExamplesTest.java");

  private final ReviewHarness world = new ReviewHarness();
  private final List<OutboundMessage> outbox = new ArrayList<>();

  private void send(OutboundMessage message, String key) {
    outbox.add(message);
  }

  @Test
  void installProposeAndApprove() {
    Mesh mesh = world.mesh;
    Authenticator authenticator = ReviewHarness.TOKENS;
    String token = "t-bo";
    // docs:begin install
    SessionStore store = InMemorySessionStore.create(); // or SQLite, PostgreSQL
    Reviews reviews =
        Reviews.builder(mesh)
            .store(store) // the store the sessions use: review rows live beside the events
            .authenticator(authenticator) // credential -> Reviewer, or a refusal
            .publisher(
                "outbound-message",
                publication -> {
                  send((OutboundMessage) publication.artifact(), publication.idempotencyKey());
                  return null;
                })
            .build();
    Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build();

    Session session =
        sessions
            .newSession("replier")
            .input("My invoice is wrong")
            .origin(Origin.human("ana"))
            .start();
    SessionState waiting = session.awaitIdle(Duration.ofMinutes(1)); // WAITING, no thread held
    // docs:end
    // docs:begin decide
    ReviewState review = reviews.pending(session.id()).get(0); // id "<session>/r1"
    String shown = ArtifactTypes.standard().render(review.artifact(), SurfaceFormat.TEXT);
    try {
      ReviewOutcome outcome = reviews.decide(review.id(), review.hash(), token, Decision.approve());
      // APPROVED once the quorum is reached; its effect ran once: outcome.effect() == APPLIED
    } catch (ReviewRefusedException refused) {
      // stale hash, decided already, not a reviewer, expired...: refused.reason(), and recorded
    }
    // docs:end
    try {
      assertThat(waiting.status()).isEqualTo(SessionStatus.WAITING);
      assertThat(shown).contains("Your invoice");
      assertThat(outbox).hasSize(1);
      assertThat(session.awaitFinished(Duration.ofMinutes(1)).status())
          .isEqualTo(SessionStatus.COMPLETED);
    } finally {
      reviews.close();
      sessions.close();
      world.close();
    }
  }

  @Test
  void conditionalRecordChangesAndKeyHonouringHandlers() {
    Map<String, String> versions = new ConcurrentHashMap<>(Map.of("c-1", "v2"));
    Map<String, Boolean> sentKeys = new ConcurrentHashMap<>();
    // docs:begin publishers
    PublishHandler crm =
        publication -> {
          RecordChange change = (RecordChange) publication.artifact();
          String now = versions.get(change.recordId());
          if (!now.equals(change.versionRead())) { // applied only on the version the agent read
            throw PublishRefusedException.recordChanged(change, now); // effect-failed, not retried
          }
          versions.put(change.recordId(), change.versionRead() + "+1");
          return Map.of("version", versions.get(change.recordId()));
        };
    PublishHandler mail = // exactly once: the target dedups by the key, so a retry is safe
        PublishHandler.idempotent(
            publication -> sentKeys.putIfAbsent(publication.idempotencyKey(), true) == null);
    // docs:end
    RecordChange stale =
        new RecordChange(
            "crm", "contact", "c-1", "v1", List.of(new RecordChange.FieldChange("plan", "a", "b")));
    Publication p =
        new Publication(
            "s/r1",
            "review:s/r1:" + "0".repeat(64),
            stale,
            ArtifactTypes.standard().contentHash(stale),
            new ArtifactProvenance("s", "a", "sha256:0", null, Origin.api("t")),
            List.of("bo"));
    try {
      crm.publish(p);
      throw new AssertionError("a changed record must be refused");
    } catch (PublishRefusedException expected) {
      assertThat(versions).containsEntry("c-1", "v2");
    }
    assertThat(mail.publish(p)).isEqualTo(true);
    assertThat(mail.publish(p)).isEqualTo(false);
    assertThat(mail.honoursIdempotencyKey()).isTrue();
    world.close();
  }

  @Test
  void everyRuntimeBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java runtime", SOURCE);
    assertThat(DocsExamples.blocks(PAGE, "java runtime")).hasSize(3);
    world.close();
  }
}
