package dev.agentmesh.review;

import static dev.agentmesh.core.ReviewPolicy.Risk.CRITICAL;
import static dev.agentmesh.core.ReviewPolicy.Risk.HIGH;
import static dev.agentmesh.core.ReviewPolicy.Risk.LOW;
import static dev.agentmesh.core.ReviewPolicy.Risk.MEDIUM;
import static dev.agentmesh.review.QueueLog.T0;
import static dev.agentmesh.review.QueueLog.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.VersionConflictException;
import dev.agentmesh.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the review queue promises on every session store; each store's test class extends this and
 * returns a fresh store.
 */
abstract class ReviewQueueCases {

  private SessionStore store;
  private QueueLog log;
  private FakeClock clock;
  private ReviewQueue queue;

  /** A fresh, empty store. */
  protected abstract SessionStore newStore();

  @BeforeEach
  void setUp() {
    store = newStore();
    log = new QueueLog(store);
    clock = FakeClock.at(T0.plus(Duration.ofDays(1)));
    queue = ReviewQueue.builder(store).clock(clock).build();
  }

  private static List<String> ids(ReviewPage page) {
    return page.reviews().stream().map(PendingReview::reviewId).toList();
  }

  private List<String> all(ReviewQuery query) {
    List<String> out = new ArrayList<>();
    ReviewPage page = queue.pending(query);
    out.addAll(ids(page));
    while (page.hasMore()) {
      page = queue.pending(query.newBuilder().cursor(page.nextCursor()).build());
      out.addAll(ids(page));
    }
    return out;
  }

  private static ReviewQuery.Builder ana() {
    return ReviewQuery.builder().reviewer("ana", Set.of("leads", "ops"));
  }

  @Test
  void aReviewersQueueMergesTheirOwnAndTheirGroupsReviewsOnceEachByRiskThenAge() {
    log.propose(review("r-1", "writer", "document", LOW, T0, Set.of("ana"), Set.of()));
    log.propose(
        review("r-2", "writer", "document", HIGH, T0.plusSeconds(5), Set.of(), Set.of("leads")));
    log.propose(
        review(
            "r-3",
            "mailer",
            "outbound-message",
            HIGH,
            T0.plusSeconds(1),
            Set.of("ana"),
            Set.of("ops", "leads")));
    log.propose(
        review(
            "r-4",
            "mailer",
            "outbound-message",
            CRITICAL,
            T0.plusSeconds(9),
            Set.of("bob"),
            Set.of("ops")));
    log.propose(review("r-5", "writer", "document", CRITICAL, T0, Set.of("bob"), Set.of("legal")));
    log.propose(review("r-6", "writer", "document", MEDIUM, T0, Set.of("ana/x"), Set.of("leads%")));

    ReviewPage page = queue.pending(ana().build());

    assertThat(ids(page)).containsExactly("r-4", "r-3", "r-2", "r-1");
    assertThat(page.hasMore()).isFalse();
    assertThat(page.reviews().get(1))
        .isEqualTo(
            review(
                "r-3",
                "mailer",
                "outbound-message",
                HIGH,
                T0.plusSeconds(1),
                Set.of("ana"),
                Set.of("ops", "leads")));
    assertThat(ids(queue.pending(ReviewQuery.builder().reviewer("bob", Set.of()).build())))
        .containsExactly("r-5", "r-4");
    assertThat(ids(queue.pending(ReviewQuery.builder().build())))
        .as("everyone's queue")
        .containsExactly("r-5", "r-4", "r-3", "r-2", "r-6", "r-1");
  }

  @Test
  void theSameInstantOrdersByReviewIdAndPagesNeverRepeatOrSkip() {
    for (int i = 0; i < 23; i++) {
      log.propose(
          review(
              "r-" + (char) ('a' + i),
              "writer",
              "document",
              MEDIUM,
              T0,
              Set.of("ana"),
              Set.of("ops")));
    }

    List<String> paged = all(ana().limit(4).build());

    assertThat(paged).hasSize(23).doesNotHaveDuplicates().isSorted();
    ReviewPage first = queue.pending(ana().limit(23).build());
    assertThat(first.reviews()).hasSize(23);
    assertThat(first.hasMore()).as("a page that ends the queue has no cursor").isFalse();
  }

  @Test
  void filtersByAgentTypeRiskAndAge() {
    log.propose(review("r-1", "writer", "document", LOW, T0, Set.of("ana"), Set.of()));
    log.propose(
        review("r-2", "writer", "code-diff", HIGH, T0.plusSeconds(60), Set.of("ana"), Set.of()));
    log.propose(
        review(
            "r-3",
            "mailer",
            "document",
            CRITICAL,
            T0.plus(Duration.ofHours(20)),
            Set.of(),
            Set.of("ops")));
    log.propose(
        review(
            "r-4",
            "writer",
            "document",
            MEDIUM,
            T0.plus(Duration.ofHours(2)),
            Set.of(),
            Set.of("legal")));

    assertThat(ids(queue.pending(ana().agent("writer").build()))).containsExactly("r-2", "r-1");
    assertThat(ids(queue.pending(ana().artifactType("document").build())))
        .containsExactly("r-3", "r-1");
    assertThat(ids(queue.pending(ana().agent("writer").artifactType("document").build())))
        .containsExactly("r-1");
    assertThat(
            ids(
                queue.pending(
                    ReviewQuery.builder().agent("writer").artifactType("document").build())))
        .containsExactly("r-4", "r-1");
    assertThat(ids(queue.pending(ReviewQuery.builder().agent("writer").build())))
        .containsExactly("r-2", "r-4", "r-1");
    assertThat(ids(queue.pending(ReviewQuery.builder().artifactType("document").build())))
        .containsExactly("r-3", "r-4", "r-1");
    assertThat(ids(queue.pending(ana().minimumRisk(HIGH).build()))).containsExactly("r-3", "r-2");
    assertThat(ids(queue.pending(ReviewQuery.builder().minimumRisk(CRITICAL).build())))
        .containsExactly("r-3");
    // the clock is T0 + 24h: older than 5 hours means proposed before T0 + 19h
    assertThat(ids(queue.pending(ReviewQuery.builder().olderThan(Duration.ofHours(5)).build())))
        .containsExactly("r-2", "r-4", "r-1");
    assertThat(ids(queue.pending(ReviewQuery.builder().proposedBefore(T0.plusSeconds(60)).build())))
        .as("strictly before")
        .containsExactly("r-1");
    assertThat(
            ids(
                queue.pending(
                    ReviewQuery.builder()
                        .olderThan(Duration.ofHours(5))
                        .minimumRisk(MEDIUM)
                        .limit(1)
                        .build())))
        .containsExactly("r-2");
    assertThat(
            all(
                ReviewQuery.builder()
                    .olderThan(Duration.ofHours(5))
                    .minimumRisk(MEDIUM)
                    .limit(1)
                    .build()))
        .containsExactly("r-2", "r-4");
  }

  @Test
  void aDecisionsAppendTakesTheReviewOffEveryListAndAnEscalationMovesIt() {
    PendingReview r1 = review("r-1", "writer", "document", HIGH, T0, Set.of("ana"), Set.of("ops"));
    PendingReview r2 = review("r-2", "writer", "document", LOW, T0, Set.of("ana"), Set.of());
    log.propose(r1);
    log.propose(r2);
    assertThat(queue.find("r-1")).contains(r1);

    log.decide(r1);

    assertThat(queue.find("r-1")).isEmpty();
    assertThat(ids(queue.pending(ana().build()))).containsExactly("r-2");
    assertThat(
            ids(
                queue.pending(
                    ReviewQuery.builder().agent("writer").artifactType("document").build())))
        .containsExactly("r-2");
    assertThat(store.queryRows(RowQuery.builder(ReviewIndex.NAMESPACE).limit(1000).build()))
        .as("one review's rows: by id, everyone, ana, agent and type")
        .hasSize(4);

    PendingReview escalated =
        review("r-2", "writer", "document", CRITICAL, T0, Set.of("cleo"), Set.of("legal"));
    log.reassign(r2, escalated);

    assertThat(ids(queue.pending(ana().build()))).isEmpty();
    assertThat(ids(queue.pending(ReviewQuery.builder().reviewer("zed", Set.of("legal")).build())))
        .containsExactly("r-2");
    assertThat(queue.find("r-2")).contains(escalated);
    assertThat(queue.pending(ReviewQuery.builder().minimumRisk(CRITICAL).build()).reviews())
        .containsExactly(escalated);
    assertThatThrownBy(() -> ReviewIndex.reassigned(r1, escalated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reassigned moves one review but got 'r-1'");
  }

  @Test
  void anAppendRefusedForItsVersionWritesNoQueueRowAndAReviewIdIsOpenedOnce() {
    PendingReview r1 = review("r-1", "writer", "document", HIGH, T0, Set.of("ana"), Set.of());
    log.propose(r1);

    assertThatThrownBy(
            () ->
                log.propose(review("r-1", "writer", "document", HIGH, T0, Set.of("bob"), Set.of())))
        .isInstanceOf(RowConflictException.class);
    PendingReview other = review("r-9", "writer", "document", HIGH, T0, Set.of("ana"), Set.of());
    assertThatThrownBy(
            () ->
                store.append(
                    dev.agentmesh.sessions.spi.Append.of(
                            r1.sessionId(),
                            0,
                            List.of(
                                new dev.agentmesh.sessions.spi.NewEvent(
                                    "review.proposed",
                                    1,
                                    JsonMapper.builder().build().createObjectNode(),
                                    T0)),
                            store.find(r1.sessionId()).orElseThrow())
                        .withRows(ReviewIndex.opened(other))))
        .isInstanceOf(VersionConflictException.class);

    assertThat(ids(queue.pending(ReviewQuery.builder().build()))).containsExactly("r-1");
    assertThat(ids(queue.pending(ReviewQuery.builder().reviewer("bob", Set.of()).build())))
        .isEmpty();
  }

  @Test
  void deletingASessionTakesItsReviewsOffTheQueue() {
    log.propose(review("r-1", "writer", "document", HIGH, T0, Set.of("ana"), Set.of()));
    log.propose(review("r-2", "writer", "document", HIGH, T0, Set.of("ana"), Set.of()));

    store.delete("s-r-1");

    assertThat(ids(queue.pending(ana().build()))).containsExactly("r-2");
    assertThat(queue.find("r-1")).isEmpty();
  }

  @Test
  void namesWithSlashesPercentSignsOrGreatLengthStayInTheirOwnList() {
    String longName = "g".repeat(190) + "/";
    log.propose(review("r/1", "wri/ter", "doc%2F", HIGH, T0, Set.of("ana/x"), Set.of(longName)));
    log.propose(
        review("r%2", "wri", "ter/doc%2F", HIGH, T0, Set.of("ana"), Set.of("g".repeat(190))));

    assertThat(ids(queue.pending(ReviewQuery.builder().reviewer("ana", Set.of()).build())))
        .containsExactly("r%2");
    assertThat(ids(queue.pending(ReviewQuery.builder().reviewer("ana/x", Set.of()).build())))
        .containsExactly("r/1");
    assertThat(ids(queue.pending(ReviewQuery.builder().reviewer("x", Set.of(longName)).build())))
        .containsExactly("r/1");
    assertThat(
            ids(
                queue.pending(
                    ReviewQuery.builder().agent("wri/ter").artifactType("doc%2F").build())))
        .containsExactly("r/1");
    assertThat(
            ids(
                queue.pending(
                    ReviewQuery.builder().agent("wri").artifactType("ter/doc%2F").build())))
        .containsExactly("r%2");
    assertThat(queue.find("r/1")).isPresent();
  }

  @Test
  void aCursorFromElsewhereIsRefusedWithAMessageThatSaysWhatToPass() {
    assertThatThrownBy(() -> ReviewQuery.builder().cursor("not-a-cursor"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cursor 'not-a-cursor' is not one a ReviewPage returned; pass ReviewPage.nextCursor() unchanged");
    assertThatThrownBy(() -> ReviewQuery.builder().limit(501))
        .hasMessage("limit must be between 1 and 500 but was 501");
  }

  @Test
  void aQueueRowThatIsNotAPendingReviewIsReportedWithItsKey() {
    store.writeRows(
        List.of(
            RowWrite.insert(
                Row.of(
                    ReviewIndex.NAMESPACE,
                    "p/*/1/2026-03-02T09:00:00.000000Z/bad",
                    null,
                    JsonMapper.builder().build().createObjectNode().put("v", 1)))));

    assertThatThrownBy(() -> queue.pending(ReviewQuery.builder().build()))
        .isInstanceOf(ReviewException.class)
        .hasMessageStartingWith(
            "Queue row 'p/*/1/2026-03-02T09:00:00.000000Z/bad' in namespace review.queue is not a pending review this release reads (field 'reviewId' is missing or not text)");
  }

  // ---- bulk decisions ----------------------------------------------------------------------

  /**
   * A fake engine: refuses a bad token, reviews listing "bob" (thrown) or "cleo" (returned), fails
   * on "boom", else records the decision.
   */
  private final class FakeEngine implements SingleDecider {
    final List<String> calls = new ArrayList<>();

    @Override
    public BulkOutcome.Item decide(PendingReview review, Object credential, Decision decision) {
      calls.add(review.reviewId() + ":" + credential + ":" + decision.kind());
      if (review.reviewers().contains("boom")) {
        throw new IllegalStateException("store unavailable");
      }
      if ("bad-token".equals(credential)) {
        throw new ReviewRefusedException(
            ReviewRefusedException.Reason.UNAUTHENTICATED, "the credential was not accepted");
      }
      if (review.reviewers().contains("bob")) {
        throw new ReviewRefusedException(
            ReviewRefusedException.Reason.FOUR_EYES, "bob started the session");
      }
      if (review.reviewers().contains("cleo")) {
        return new BulkOutcome.Refused(review, "host-rule", "returned, not thrown");
      }
      log.decide(review);
      return new BulkOutcome.Decided(review);
    }
  }

  private static ReviewQuery writerDocs() {
    return ReviewQuery.builder().agent("writer").artifactType("document").build();
  }

  @Test
  void aBulkDecisionDecidesEachReviewSinglyAndReportsTheRefusedWithTheirReason() {
    log.propose(review("r-1", "writer", "document", LOW, T0, Set.of("ana"), Set.of()));
    log.propose(review("r-2", "writer", "document", HIGH, T0, Set.of("bob"), Set.of()));
    log.propose(review("r-3", "writer", "document", MEDIUM, T0, Set.of("ana"), Set.of()));
    log.propose(review("r-4", "writer", "code-diff", MEDIUM, T0, Set.of("ana"), Set.of()));
    log.propose(review("r-5", "mailer", "document", MEDIUM, T0, Set.of("ana"), Set.of()));
    FakeEngine engine = new FakeEngine();
    ReviewQueue bulk = queue(engine);

    BulkOutcome outcome = bulk.decideAll(writerDocs(), "token-ana", Decision.approve());

    assertThat(outcome.decided())
        .extracting(d -> d.review().reviewId())
        .containsExactly("r-3", "r-1");
    assertThat(outcome.refused())
        .extracting(BulkOutcome.Refused::reason)
        .containsExactly("four-eyes");
    assertThat(outcome.refused().get(0).review().reviewId()).isEqualTo("r-2");
    assertThat(outcome.hasMore()).isFalse();
    assertThat(engine.calls)
        .containsExactly("r-2:token-ana:approve", "r-3:token-ana:approve", "r-1:token-ana:approve");
    assertThat(ids(queue.pending(ReviewQuery.builder().build())))
        .containsExactly("r-2", "r-4", "r-5");
    assertThat(bulk.decideAll(writerDocs(), "token-ana", Decision.approve()).decided())
        .as("a second run finds only the refused one")
        .isEmpty();
  }

  @Test
  void aRefusedCredentialStopsTheBulkDecisionAtTheFirstReview() {
    log.propose(review("r-1", "writer", "document", HIGH, T0, Set.of("ana"), Set.of()));
    log.propose(review("r-2", "writer", "document", LOW, T0, Set.of("cleo"), Set.of()));
    log.propose(
        review("r-3", "writer", "document", LOW, T0.plusSeconds(1), Set.of("ana"), Set.of()));
    FakeEngine engine = new FakeEngine();

    BulkOutcome refused = queue(engine).decideAll(writerDocs(), "bad-token", Decision.approve());
    BulkOutcome mixed = queue(engine).decideAll(writerDocs(), "token", Decision.approve());

    assertThat(refused.decided()).isEmpty();
    assertThat(refused.refused())
        .extracting(BulkOutcome.Refused::reason)
        .containsExactly("unauthenticated");
    assertThat(refused.hasMore()).isTrue();
    assertThat(refused.nextCursor()).as("from the start").isNull();
    assertThat(mixed.decided())
        .extracting(d -> d.review().reviewId())
        .containsExactly("r-1", "r-3");
    assertThat(mixed.refused())
        .extracting(BulkOutcome.Refused::reason)
        .containsExactly("host-rule");
  }

  @Test
  void aFailingDeciderStopsTheBulkDecisionWhereItCanGoOn() {
    log.propose(review("r-1", "writer", "document", HIGH, T0, Set.of("ana"), Set.of()));
    log.propose(review("r-2", "writer", "document", MEDIUM, T0, Set.of("boom"), Set.of()));
    log.propose(review("r-3", "writer", "document", LOW, T0, Set.of("ana"), Set.of()));
    FakeEngine engine = new FakeEngine();

    BulkOutcome outcome = queue(engine).decideAll(writerDocs(), "t", Decision.reject("no"));

    assertThat(outcome.decided()).extracting(d -> d.review().reviewId()).containsExactly("r-1");
    assertThat(outcome.refused())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(BulkOutcome.FAILED);
              assertThat(r.message())
                  .isEqualTo(
                      "deciding review 'r-2' failed (IllegalStateException: store unavailable); the bulk decision stopped at it");
            });
    assertThat(outcome.hasMore()).isTrue();
    BulkOutcome rest =
        queue(engine)
            .decideAll(
                writerDocs().newBuilder().cursor(outcome.nextCursor()).build(),
                "t",
                Decision.reject("no"));
    assertThat(engine.calls).containsExactly("r-1:t:reject", "r-2:t:reject", "r-2:t:reject");
    assertThat(rest.refused()).extracting(r -> r.review().reviewId()).containsExactly("r-2");
  }

  @Test
  void aBulkDecisionTriesAtMostItsLimitAndSaysWhereToGoOn() {
    for (int i = 0; i < 5; i++) {
      log.propose(review("r-" + i, "writer", "document", LOW, T0, Set.of("bob"), Set.of()));
    }
    FakeEngine engine = new FakeEngine();
    ReviewQueue bulk = ReviewQueue.builder(store).decider(engine).bulkLimit(3).build();

    BulkOutcome first = bulk.decideAll(writerDocs(), "t", Decision.approve());
    BulkOutcome second =
        bulk.decideAll(
            writerDocs().newBuilder().cursor(first.nextCursor()).build(), "t", Decision.approve());

    assertThat(first.refused())
        .extracting(r -> r.review().reviewId())
        .containsExactly("r-0", "r-1", "r-2");
    assertThat(first.hasMore()).isTrue();
    assertThat(second.refused())
        .extracting(r -> r.review().reviewId())
        .containsExactly("r-3", "r-4");
    assertThat(second.hasMore()).isFalse();
    assertThatThrownBy(() -> ReviewQueue.builder(store).bulkLimit(0))
        .hasMessage("bulkLimit must be between 1 and 100000 but was 0");
  }

  @Test
  void aBulkDecisionNeedsAnAgentATypeANonEditDecisionAndADecider() {
    ReviewQueue bulk = queue(new FakeEngine());
    assertThatThrownBy(
            () ->
                bulk.decideAll(
                    ReviewQuery.builder().agent("writer").build(), "t", Decision.approve()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "decideAll decides one agent's artifacts of one type, but the query has agent=writer and artifactType=null; set both with ReviewQuery.builder().agent(...).artifactType(...)");
    assertThatThrownBy(() -> bulk.decideAll(writerDocs(), "t", Decision.edit(Samples.document())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("decideAll cannot apply an edit");
    assertThatThrownBy(() -> queue.decideAll(writerDocs(), "t", Decision.approve()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("This ReviewQueue has no decider");
  }

  private ReviewQueue queue(SingleDecider decider) {
    return ReviewQueue.builder(store).clock(clock).decider(decider).build();
  }
}
