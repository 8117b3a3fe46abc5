package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testsupport.DocsExamples;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The "The review queue" section of docs/review.md: its code blocks, compiled and run. */
class QueueDocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/review.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/review/QueueDocsExamplesTest.java");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final ContentHash HASH = ContentHash.parse("sha256:" + "0f".repeat(32));

  @Test
  void theQueueFromProposalToBulkApproval() {
    SessionStore store = InMemorySessionStore.create();
    JsonMapper json = JsonMapper.builder().build();
    String sessionId = "s-3";
    Instant proposedAt = T0;
    NewEvent proposed = new NewEvent("review.proposed", 1, json.createObjectNode(), T0);
    SessionSummary summary =
        SessionSummary.builder(sessionId)
            .agent("release-notes")
            .status("waiting")
            .origin("manual")
            .createdAt(T0)
            .updatedAt(T0)
            .build();
    long version = 0;
    SingleDecider decider =
        (review, credential, decision) -> {
          SessionSummary now = store.find(review.sessionId()).orElseThrow();
          store.append(
              Append.of(
                      review.sessionId(),
                      now.version(),
                      List.of(new NewEvent("review.decided", 1, json.createObjectNode(), T0)),
                      now)
                  .withRows(ReviewIndex.closed(review)));
          return new BulkOutcome.Decided(review);
        };
    Object credential = "token-of-ana";

    // docs:begin queue-index
    PendingReview pending =
        new PendingReview(
            "r-7",
            sessionId,
            "release-notes",
            "document",
            HASH, // types.contentHash(artifact)
            ReviewPolicy.Risk.MEDIUM,
            proposedAt,
            null, // no expiry
            Set.of("ana"),
            Set.of("release-approvers"),
            "Release notes for 4.2");
    store.append(
        Append.of(sessionId, version, List.of(proposed), summary)
            .withRows(ReviewIndex.opened(pending))); // the queue's rows, with the event
    // docs:end

    // docs:begin queue-read
    ReviewQueue queue = ReviewQueue.builder(store).decider(decider).build();
    ReviewQuery mine =
        ReviewQuery.builder()
            .reviewer(Reviewer.of("ana", "release-approvers")) // as the authenticator says
            .minimumRisk(ReviewPolicy.Risk.MEDIUM)
            .limit(50)
            .build();
    ReviewPage first = queue.pending(mine);
    if (first.hasMore()) {
      ReviewPage second = queue.pending(mine.newBuilder().cursor(first.nextCursor()).build());
    }
    BulkOutcome outcome =
        queue.decideAll(
            ReviewQuery.builder().agent("release-notes").artifactType("document").build(),
            credential,
            Decision.approve());
    // docs:end

    assertThat(first.reviews()).containsExactly(pending);
    assertThat(outcome.decided()).extracting(BulkOutcome.Decided::review).containsExactly(pending);
    assertThat(outcome.refused()).isEmpty();
    assertThat(queue.pending(mine).reviews()).isEmpty();
  }

  @Test
  void everyQueueBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java queue", SOURCE);
  }
}
