package dev.agentmesh.examples.pilotedmesh;

import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.examples.support.ExampleModel;
import dev.agentmesh.examples.support.ExampleStore;
import dev.agentmesh.review.ArtifactTypes;
import dev.agentmesh.review.Authenticator;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.PendingReview;
import dev.agentmesh.review.ReviewOutcome;
import dev.agentmesh.review.ReviewQuery;
import dev.agentmesh.review.ReviewState;
import dev.agentmesh.review.Reviewer;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.review.SurfaceFormat;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.triggers.AgentTriggers;
import dev.agentmesh.triggers.Event;
import dev.agentmesh.triggers.EventBus;
import dev.agentmesh.triggers.Published;
import dev.agentmesh.triggers.SecretResolver;
import dev.agentmesh.triggers.TriggerBinding;
import dev.agentmesh.triggers.TriggerSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Example 7, the human-piloted mesh. A parent session of the {@code pilot} agent runs three stages
 * as child sessions ({@link AgentTriggers}): the coding agent proposes a code diff, the
 * infrastructure agent a deploy plan, the observability agent the monitoring config. Every stage's
 * artifact waits for the human pilot's approval, and the next stage starts only after it (the
 * parent's {@code start_session} call returns the approved artifact). Then a simulated incident
 * event on the in-process {@link EventBus} opens an investigation session whose incident report the
 * pilot approves too. At the end the audit trail, read from the sessions' logs, says who approved
 * what, and when.
 *
 * <pre>
 * ./mvnw -q -pl examples/piloted-mesh -am package -DskipTests exec:java
 * </pre>
 */
public final class PilotedMeshApp {

  static final Duration TURN = Duration.ofMinutes(2);

  /** The pilot, who authenticates with a token as reviewer {@code ana}. */
  static final String PILOT = "ana";

  static final String PILOT_TOKEN = "token-of-ana";

  static final String REQUEST =
      "Checkout payments time out under load: retry a timed-out charge once, safely.";

  static final String AGENTS = "coder, infra, investigator, observability, pilot";

  /**
   * One line of the audit trail: a decision in a session's log.
   *
   * @param stage the agent whose artifact was decided
   * @param sessionId the session that holds the review
   * @param origin what opened that session ({@code session:<parent>} or {@code event:<trigger>})
   * @param artifactType the artifact's type name
   * @param hash the content hash decided upon
   * @param approver the authenticated reviewer
   * @param kind what was decided
   * @param at when
   */
  record AuditLine(
      String stage,
      String sessionId,
      String origin,
      String artifactType,
      String hash,
      String approver,
      String kind,
      Instant at) {}

  /**
   * What the demo did, for tests.
   *
   * @param parentId the pilot's session
   * @param parent the parent session's state at the end
   * @param stageSessions the sessions of the four stages, in order
   * @param incidentSessionId the investigation's session
   * @param approved the stages in the order the pilot approved them
   * @param outcomes the outcome of each approval, in that order
   * @param audit the audit trail, in time order
   */
  record Demo(
      String parentId,
      SessionState parent,
      List<String> stageSessions,
      String incidentSessionId,
      List<String> approved,
      List<ReviewOutcome> outcomes,
      List<AuditLine> audit) {}

  private PilotedMeshApp() {}

  public static void main(String[] args) {
    run(System.getenv(), System.getProperties(), System.out);
  }

  /** The whole demo, with the environment and system properties it reads passed in. */
  static Demo run(Map<String, String> env, Properties props, PrintStream out) {
    ChatModel model = ExampleModel.from(env, out, ScriptedPilotModel::new);
    try (SqliteSessionStore store = ExampleStore.sqlite("piloted-mesh", props, env);
        Mesh mesh = mesh(model);
        Reviews reviews =
            Reviews.builder(mesh)
                .store(store)
                .authenticator(Authenticator.tokens(Map.of(PILOT_TOKEN, Reviewer.of(PILOT))))
                .sweepInterval(null)
                .build();
        AgentTriggers children = AgentTriggers.builder().sweepInterval(null).build();
        Sessions sessions =
            Sessions.builder(mesh).store(store).extension(reviews).extension(children).build()) {
      out.println("Session store: " + ExampleStore.path("piloted-mesh", props, env));
      EventBus.Builder bus = EventBus.builder(sessions);
      TriggerBinding.of(
              TriggerSpecs.parse(resource("triggers/incident.yaml"), "triggers/incident.yaml"),
              SecretResolver.from(Map.of()), // the event trigger takes no secret
              Clock.systemUTC())
          .subscriptions()
          .forEach(bus::subscribe);
      EventBus incidents = bus.build();

      out.println();
      out.println(PILOT + " asks the pilot agent: \"" + REQUEST + "\"");
      Session parent =
          sessions
              .newSession("pilot")
              .input(REQUEST)
              .origin(Origin.human(PILOT))
              .participant(PILOT, ParticipantRole.OWNER)
              .start();
      List<String> approved = new ArrayList<>();
      List<ReviewOutcome> outcomes = new ArrayList<>();
      List<String> stageSessions = new ArrayList<>();
      for (String stage : ScriptedPilotModel.STAGES) {
        outcomes.add(approve(reviews, stage, stageSessions, out));
        approved.add(stage);
      }
      SessionState end = parent.awaitIdle(TURN);
      out.println("pilot: " + (end.output() == null ? end.status() : text(end)));

      out.println();
      out.println("Incident: CheckoutErrorRate fires (error rate 4.2%, threshold 2%)");
      Published published =
          incidents.publish(
              Event.of(
                  "incidents.checkout",
                  "alert-7731",
                  Map.of(
                      "service", "checkout-service",
                      "alert", "CheckoutErrorRate",
                      "value", "4.2%",
                      "at", "2026-11-30T07:05:00Z")));
      String incidentId = published.sessions().get(0).sessionId();
      out.println("  the event bus opened session " + incidentId + " for the investigator");
      outcomes.add(approve(reviews, "investigator", stageSessions, out));
      approved.add("investigator");
      sessions.session(incidentId).awaitIdle(TURN);

      List<AuditLine> audit = audit(reviews, sessions, stageSessions);
      out.println();
      out.println("Audit trail (from the sessions' logs):");
      out.println(
          String.format(
              "  %-14s %-10s %-13s %-5s %-25s %s",
              "stage", "artifact", "hash", "by", "at", "opened by"));
      for (AuditLine a : audit)
        out.println(
            String.format(
                "  %-14s %-10s %-13s %-5s %-25s %s",
                a.stage(),
                a.artifactType(),
                a.hash().substring(0, 12),
                a.approver(),
                a.at(),
                a.origin()));
      return new Demo(
          parent.id(),
          parent.state(),
          List.copyOf(stageSessions),
          incidentId,
          approved,
          outcomes,
          audit);
    }
  }

  /** The example's mesh: the five specs, this model, the tool that starts child sessions. */
  static Mesh mesh(ChatModel model) {
    Mesh.Builder b = Mesh.builder().model("default", model).tool(AgentTriggers.tool());
    for (String agent : AGENTS.split(", "))
      b.agent(AgentSpecs.parse(resource("agents/" + agent + ".yaml"), "agents/" + agent + ".yaml"));
    return b.build();
  }

  /** Waits for the stage's proposal (the pilot's inbox), shows it, and approves it as the pilot. */
  private static ReviewOutcome approve(
      Reviews reviews, String stage, List<String> stageSessions, PrintStream out) {
    PendingReview pending = awaitProposal(reviews, stage);
    ReviewState review = reviews.review(pending.reviewId());
    String type = ArtifactTypes.standard().typeOf(review.artifact()).name();
    out.println();
    out.println("  " + stage + " proposes a " + type + " (session " + review.sessionId() + "):");
    out.print(ArtifactTypes.standard().render(review.artifact(), SurfaceFormat.TEXT).indent(4));
    stageSessions.add(review.sessionId());
    ReviewOutcome outcome =
        reviews.decide(review.id(), review.hash(), PILOT_TOKEN, Decision.approve());
    out.println("  " + PILOT + " approves " + stage + "'s " + type + ": " + outcome.status());
    return outcome;
  }

  /** Polls the review queue for the agent's proposal: a pilot's inbox refreshing. */
  private static PendingReview awaitProposal(Reviews reviews, String agent) {
    long deadline = System.nanoTime() + TURN.toNanos();
    ReviewQuery query = ReviewQuery.builder().agent(agent).build();
    while (System.nanoTime() < deadline) {
      List<PendingReview> page = reviews.pending(query).reviews();
      if (!page.isEmpty()) return page.get(0);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + agent + "'s proposal", e);
      }
    }
    throw new IllegalStateException(
        "expected agent '"
            + agent
            + "' to propose an artifact for the pilot within "
            + TURN
            + " but none is pending; read its session's log for why");
  }

  /**
   * The audit trail: every decision in the logs of the stages' sessions (a fold over their {@code
   * review.*} events), in time order, with the origin that opened each session.
   */
  static List<AuditLine> audit(Reviews reviews, Sessions sessions, List<String> sessionIds) {
    List<AuditLine> lines = new ArrayList<>();
    for (String id : sessionIds) {
      String origin = sessions.session(id).state().origin().key();
      for (ReviewState r : reviews.reviews(id))
        for (ReviewState.DecisionRecord d : r.decisions())
          lines.add(
              new AuditLine(
                  r.provenance().agent(),
                  id,
                  origin,
                  ArtifactTypes.standard().typeOf(r.artifact()).name(),
                  d.hash().hex(),
                  d.reviewer(),
                  d.kind().name(),
                  d.at()));
    }
    lines.sort(Comparator.comparing(AuditLine::at));
    return lines;
  }

  private static String text(SessionState state) {
    var output = state.output();
    return output == null ? "" : output.isString() ? output.asString() : output.toString();
  }

  private static String resource(String name) {
    try (InputStream in = PilotedMeshApp.class.getResourceAsStream("/" + name)) {
      if (in == null) throw new IllegalStateException("the example's jar lacks " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
