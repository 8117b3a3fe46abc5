package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.review.ReviewRefusedException.Reason;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tool declared as needing approval: its call becomes an {@link Action} and runs only after
 * approval, once, through the sessions' effects ledger; risk tiers approve below a tier by policy;
 * a reviewing agent's findings are comments, never decisions.
 */
class ReviewCallsTest {

  private ReviewHarness world = new ReviewHarness();

  @AfterEach
  void close() {
    world.close();
  }

  private static Session support(ReviewHarness.Node node) {
    Session session =
        node.sessions()
            .newSession("support")
            .input("refund order 7")
            .participant("ana", ParticipantRole.OWNER)
            .start();
    session.awaitIdle(ReviewHarness.WAIT);
    return session;
  }

  private static long refunds(Session session) {
    return session.history().stream()
        .map(LoggedEvent::event)
        .filter(
            e ->
                e instanceof SessionEvent.AgentStep s
                    && s.event() instanceof dev.agentmesh.core.AgentEvent.ToolReturned r
                    && r.tool().equals("refund"))
        .count();
  }

  @Test
  void aGatedCallRunsOnlyAfterApprovalAndOnce() {
    ReviewHarness.Node node = world.node();
    Session session = support(node);

    assertThat(session.state().status()).isEqualTo(SessionStatus.WAITING);
    ReviewState review = node.pending(session);
    assertThat(review.isCall()).isTrue();
    assertThat(((Action) review.artifact()).tool()).isEqualTo("refund");
    assertThat(((Action) review.artifact()).idempotent()).isFalse();
    assertThat(refunds(session)).isZero();
    assertThatThrownBy(
            () ->
                node.reviews()
                    .decide(
                        review.id(),
                        review.hash(),
                        "t-bo",
                        Decision.edit(
                            new Action(
                                "refund",
                                review.artifact() instanceof Action a ? a.arguments() : null,
                                true))))
        .isInstanceOf(ReviewRefusedException.class)
        .satisfies(
            e -> assertThat(((ReviewRefusedException) e).reason()).isEqualTo(Reason.INVALID_EDIT));

    ReviewOutcome outcome =
        node.reviews().decide(review.id(), review.hash(), "t-cy", Decision.approve());

    assertThat(outcome.effect()).isEqualTo(EffectStatus.APPLIED);
    SessionState done = session.awaitFinished(ReviewHarness.WAIT);
    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(refunds(session)).isEqualTo(1);
    assertThat(node.reviews().runDue()).isZero();
    assertThat(refunds(session)).isEqualTo(1);
  }

  @Test
  void aRejectedCallNeverRunsAndTheModelSeesTheReason() {
    ReviewHarness.Node node = world.node();
    Session session = support(node);
    ReviewState review = node.pending(session);

    node.reviews()
        .decide(review.id(), review.hash(), "t-bo", Decision.reject("Order 7 was never paid"));

    SessionState done = session.awaitFinished(ReviewHarness.WAIT);
    assertThat(refunds(session)).isZero();
    assertThat(done.output().asString()).contains("Order 7 was never paid");
    assertThat(node.reviews().review(review.id()).effect()).isEqualTo(EffectStatus.NONE);
  }

  @Test
  void belowTheRiskTierPolicyApprovesAndRecordsItAsSuch() {
    world.close();
    world =
        new ReviewHarness(
            InMemorySessionStore.create(),
            p -> p.risk(ReviewPolicy.Risk.LOW).autoApproveBelow(ReviewPolicy.Risk.MEDIUM));
    ReviewHarness.Node node = world.node();
    Session session = node.start("Thanks!");

    SessionState done = session.awaitFinished(ReviewHarness.WAIT);
    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    ReviewState review = node.reviews().reviews(session.id()).get(0);
    assertThat(review.status()).isEqualTo(ReviewStatus.APPROVED);
    assertThat(review.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.byPolicy()).isTrue();
              assertThat(d.reviewer()).isEqualTo("policy");
            });
    assertThat(world.sent).as("its effect runs on the sweep").isEmpty();
    node.reviews().runDue();
    assertThat(world.sent)
        .singleElement()
        .satisfies(p -> assertThat(p.approvers()).containsExactly("policy"));
  }

  @Test
  void aReviewingAgentsFindingsAreCommentsNeverADecision() {
    ReviewHarness.Node node = world.node();
    Session session = node.start("Invoice 14");
    ReviewState review = node.pending(session);

    ReviewState commented =
        node.reviews()
            .comment(
                review.id(),
                "security",
                List.of(new Comment(Anchor.field("body"), "Mentions an internal ticket id")));

    assertThat(commented.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.agent()).isEqualTo("security");
              assertThat(f.comments())
                  .singleElement()
                  .satisfies(c -> assertThat(c.text()).isEqualTo("Mentions an internal ticket id"));
            });
    assertThat(commented.status()).isEqualTo(ReviewStatus.PENDING);
    assertThat(commented.decisions()).isEmpty();
    assertThatThrownBy(
            () -> node.reviews().decide(review.id(), review.hash(), "security", Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class);
    assertThat(Map.of()).isEmpty();
  }
}
