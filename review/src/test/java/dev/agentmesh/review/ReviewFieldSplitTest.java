package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A record change whose fields are partly below the tier: the fields policy approves are applied at
 * once, the rest waits for a person and is applied after them, conditionally on the version the
 * first write left. The harness's {@code crm} agent changes {@code note} (low) and {@code plan}
 * (medium, the agent's tier) of contact c-1 read at v1; policy approves below medium.
 */
class ReviewFieldSplitTest {

  private final ReviewHarness world = new ReviewHarness();
  private final Contact contact = new Contact();
  private final ReviewHarness.Node node =
      world.node("a", world.reviews().publisher("record-change", contact::apply));

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void theFieldsBelowTheTierAreAppliedAtOnceAndTheRestAfterAPersonAgainstTheVersionLeft() {
    Session session = start();
    List<ReviewState> reviews = node.reviews().reviews(session.id());

    assertThat(reviews).hasSize(2);
    ReviewState byPolicy = reviews.get(0);
    ReviewState rest = reviews.get(1);
    assertThat(byPolicy.status()).isEqualTo(ReviewStatus.APPROVED);
    assertThat(fields(byPolicy)).containsExactly("note");
    assertThat(byPolicy.decisions())
        .singleElement()
        .satisfies(d -> assertThat(d.reviewer()).isEqualTo("policy"));
    assertThat(byPolicy.approvers()).as("policy's approval is no person's").isEmpty();
    assertThat(rest.status()).isEqualTo(ReviewStatus.PENDING);
    assertThat(fields(rest)).containsExactly("plan");
    assertThat(rest.follows()).isEqualTo(byPolicy.id());
    assertThat(node.pending(session).id()).as("only the rest is in a queue").isEqualTo(rest.id());

    node.reviews().runDue();
    assertThat(contact.fields).containsEntry("note", "called back").containsEntry("plan", "basic");
    assertThat(contact.version).isEqualTo(2);

    node.reviews().decide(rest.id(), rest.hash(), "t-bo", Decision.approve());

    assertThat(contact.fields).containsEntry("plan", "pro");
    assertThat(contact.writes).containsExactly("v1 note", "v2 plan");
    SessionState done = session.awaitFinished(ReviewHarness.WAIT);
    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().path("changes").get(0).path("field").asString()).isEqualTo("plan");
    assertThat(node.reviews().review(rest.id()).effect()).isEqualTo(EffectStatus.APPLIED);
  }

  @Test
  void approvingTheRestBeforeTheSweepStillWritesThePolicyFieldsFirst() {
    Session session = start();
    ReviewState rest = node.pending(session);

    node.reviews().decide(rest.id(), rest.hash(), "t-bo", Decision.approve());

    assertThat(contact.writes).containsExactly("v1 note", "v2 plan");
    assertThat(node.reviews().reviews(session.id()))
        .extracting(ReviewState::effect)
        .containsExactly(EffectStatus.APPLIED, EffectStatus.APPLIED);
  }

  @Test
  void rejectingTheRestLeavesThePolicyApprovedFieldsApplied() {
    Session session = start();
    node.reviews().runDue();
    ReviewState rest = node.pending(session);

    node.reviews().decide(rest.id(), rest.hash(), "t-bo", Decision.reject("Not on the pro plan"));

    assertThat(contact.fields).containsEntry("note", "called back").containsEntry("plan", "basic");
    assertThat(contact.writes).containsExactly("v1 note");
    SessionState done = session.awaitFinished(ReviewHarness.WAIT);
    assertThat(done.failure()).isNotNull();
    assertThat(node.reviews().review(rest.id()).effect()).isEqualTo(EffectStatus.NONE);
  }

  @Test
  void aRecordChangedBetweenTheTwoWritesRefusesTheRestInsteadOfOverwritingIt() {
    Session session = start();
    node.reviews().runDue();
    ReviewState rest = node.pending(session);
    contact.edit("plan", "enterprise"); // someone changed the record in the CRM meanwhile

    node.reviews().decide(rest.id(), rest.hash(), "t-bo", Decision.approve());

    assertThat(contact.fields).containsEntry("plan", "enterprise");
    assertThat(contact.writes).containsExactly("v1 note");
    assertThat(node.reviews().review(rest.id()).effect()).isEqualTo(EffectStatus.FAILED);
  }

  @Test
  void whenThePolicyWriteIsRefusedTheRestIsAppliedAgainstTheVersionTheAgentRead() {
    Session session = start();
    contact.edit("note", "left a message"); // changed before the policy write ran
    node.reviews().runDue();
    ReviewState rest = node.pending(session);

    node.reviews().decide(rest.id(), rest.hash(), "t-bo", Decision.approve());

    assertThat(contact.writes).as("both refused: the record moved on from v1").isEmpty();
    assertThat(node.reviews().reviews(session.id()))
        .extracting(ReviewState::effect)
        .containsExactly(EffectStatus.FAILED, EffectStatus.FAILED);
  }

  private Session start() {
    Session session =
        node.sessions().newSession("crm").input("Customer asked for the pro plan").start();
    assertThat(session.awaitIdle(ReviewHarness.WAIT).failure()).isNull();
    return session;
  }

  private static List<String> fields(ReviewState review) {
    return ((RecordChange) review.artifact())
        .changes().stream().map(RecordChange.FieldChange::field).toList();
  }

  /** Contact c-1 in a CRM that applies a change only on the version it was made against. */
  private static final class Contact {
    final Map<String, String> fields = new LinkedHashMap<>(Map.of("note", "", "plan", "basic"));
    final List<String> writes = new ArrayList<>();
    int version = 1;

    synchronized Map<String, String> apply(Publication publication) {
      RecordChange change = (RecordChange) publication.artifact();
      if (!change.versionRead().equals("v" + version)) {
        throw PublishRefusedException.recordChanged(change, "v" + version);
      }
      for (RecordChange.FieldChange f : change.changes()) {
        fields.put(f.field(), f.after());
        writes.add(change.versionRead() + " " + f.field());
      }
      version++;
      return Map.of("version", "v" + version);
    }

    synchronized void edit(String field, String value) {
      fields.put(field, value);
      version++;
    }
  }
}
