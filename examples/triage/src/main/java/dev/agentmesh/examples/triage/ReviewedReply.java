package dev.agentmesh.examples.triage;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.examples.triage.TriageMesh.Ticket;
import dev.agentmesh.review.ArtifactTypes;
import dev.agentmesh.review.Authenticator;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.OutboundMessage;
import dev.agentmesh.review.ReviewOutcome;
import dev.agentmesh.review.ReviewState;
import dev.agentmesh.review.Reviewer;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.review.SurfaceFormat;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionStore;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Part 3 of the demo: the reply to the customer is an {@link OutboundMessage} that waits for a
 * support lead's approval. The session waits with no thread held; the lead (here, this code path
 * with the lead's token) sees the message as the customer will read it and approves it; the
 * approval sends it, once.
 */
final class ReviewedReply {

  /** The demo's only credential: the host's authenticator turns it into reviewer "lead". */
  static final String LEAD_TOKEN = "demo-token-of-the-support-lead";

  private ReviewedReply() {}

  /** The review runtime on the demo's store: "sending" prints the approved message. */
  static Reviews reviews(Mesh mesh, SessionStore store, PrintStream out) {
    return Reviews.builder(mesh)
        .store(store)
        .authenticator(Authenticator.tokens(Map.of(LEAD_TOKEN, Reviewer.of("lead"))))
        .publisher(
            "outbound-message",
            publication -> {
              OutboundMessage sent = (OutboundMessage) publication.artifact();
              out.println("  sent to " + sent.to() + " (key " + publication.idempotencyKey() + ")");
              return Map.of("to", sent.to());
            })
        .sweepInterval(null)
        .build();
  }

  static ReviewOutcome run(Sessions sessions, Reviews reviews, PrintStream out) {
    Session session =
        sessions
            .newSession("reply")
            .input(new Ticket("acme", "Invoice charged twice this month"))
            .origin(Origin.human("ana"))
            .start();
    SessionState waiting = session.awaitIdle(TriageApp.TURN);
    List<ReviewState> pending = reviews.pending(session.id());
    ReviewState review = pending.get(0);
    out.println();
    out.println(
        "Reply "
            + review.id()
            + ": "
            + waiting.status()
            + " for review by "
            + "lead ("
            + review.hash()
            + ")");
    out.println(ArtifactTypes.standard().render(review.artifact(), SurfaceFormat.TEXT).indent(2));
    ReviewOutcome outcome =
        reviews.decide(review.id(), review.hash(), LEAD_TOKEN, Decision.approve());
    SessionState done = session.awaitFinished(TriageApp.TURN);
    out.println(
        "  approved by lead: review "
            + outcome.status()
            + ", effect "
            + outcome.effect()
            + ", session "
            + done.status());
    return outcome;
  }
}
