package dev.agentmesh.examples.pilotedmesh;

import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.examples.support.ExampleModel;
import dev.agentmesh.examples.support.ExampleStore;
import dev.agentmesh.examples.support.SlackProcess;
import dev.agentmesh.review.ArtifactTypes;
import dev.agentmesh.review.Authenticator;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.PendingReview;
import dev.agentmesh.review.ReviewOutcome;
import dev.agentmesh.review.ReviewQuery;
import dev.agentmesh.review.ReviewState;
import dev.agentmesh.review.Reviewer;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.review.notify.DeliveryRecord;
import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.review.notify.Notifier;
import dev.agentmesh.review.notify.SlackNotifier;
import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.triggers.AgentTriggers;
import dev.agentmesh.triggers.TriggerSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Example 7, the human-piloted mesh. A parent session of the {@code pilot} agent runs four stages
 * as child sessions ({@link AgentTriggers}): the coding agent proposes a code diff, the
 * infrastructure agent a deploy plan, the observability agent the monitoring config; then a
 * simulated alert is posted into the parent session, and the pilot agent starts the investigation
 * agent, which writes an incident report. Every stage's artifact waits for the human pilot's
 * approval, and the next stage starts only after it (the parent's {@code start_session} call
 * returns the approved artifact). At the end the audit trail, read from the parent's log (each
 * {@code start_session} call, the child it opened, the decision in the child's log), says who
 * approved what, and when.
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

  /** The alerting system, a member of the pilot's session that posts alerts into it. */
  static final String ALERTS = "alertmanager";

  /** The simulated alert, as the alerting system posts it. */
  static final String ALERT =
      "ALERT CheckoutErrorRate firing for checkout-service: error rate 4.2% (threshold 2%) since"
          + " 2026-11-30T07:05:00Z";

  /** Who may start whom: the human start of the pilot, the pilot's four stages. */
  static final String STAGES = "triggers/stages.yaml";

  /**
   * One line of the audit trail: a decision in a session's log.
   *
   * @param stage the agent whose artifact was decided
   * @param sessionId the session that holds the review
   * @param origin what opened that session: {@code session:<parent>/<call id>}
   * @param opened when that session was created
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
      Instant opened,
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
   * @param parentLog the parent's log, one line per event ({@code <type> <detail>})
   * @param stageSessions the sessions of the four stages, in order
   * @param incidentSessionId the investigation's session
   * @param approved the stages in the order the pilot approved them
   * @param outcomes the outcome of each approval, in that order
   * @param audit the audit trail, in time order
   */
  record Demo(
      String parentId,
      SessionState parent,
      List<String> parentLog,
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
    List<DeliveryRecord> deliveries = new CopyOnWriteArrayList<>();
    try (SlackProcess slack = SlackProcess.start(out);
        SqliteSessionStore store = ExampleStore.sqlite("piloted-mesh", props, env);
        Mesh mesh = mesh(model);
        Reviews reviews =
            Reviews.builder(mesh)
                .store(store)
                .authenticator(Authenticator.tokens(Map.of(PILOT_TOKEN, Reviewer.of(PILOT))))
                .notifier(
                    "slack", reviewRequests(SlackNotifier.builder(slack.webhookUri()).build()))
                .deliveryListener(deliveries::add)
                .sweepInterval(null) // the pilot's inbox runs the sweep when it refreshes
                .build();
        AgentTriggers children =
            AgentTriggers.builder()
                .sweepInterval(null)
                .declared(TriggerSpecs.parse(resource(STAGES), STAGES)) // refuses undeclared
                .build();
        Sessions sessions =
            Sessions.builder(mesh).store(store).extension(reviews).extension(children).build()) {
      out.println("Session store: " + ExampleStore.path("piloted-mesh", props, env));
      out.println("Slack incoming webhook: " + slack.webhookUri());

      out.println();
      out.println(PILOT + " asks the pilot agent: \"" + REQUEST + "\"");
      Session parent =
          sessions
              .newSession("pilot")
              .input(REQUEST)
              .origin(Origin.human(PILOT))
              .participant(PILOT, ParticipantRole.OWNER)
              .participant(ALERTS, ParticipantRole.MEMBER)
              .start();
      List<String> approved = new ArrayList<>();
      List<ReviewOutcome> outcomes = new ArrayList<>();
      List<String> stageSessions = new ArrayList<>();
      for (String stage : ScriptedPilotModel.STAGES) {
        outcomes.add(approve(reviews, deliveries, slack, stage, stageSessions, out));
        approved.add(stage);
      }
      SessionState shipped = parent.awaitFinished(TURN);
      out.println("pilot: " + (shipped.output() == null ? shipped.status() : text(shipped)));

      out.println();
      out.println("Incident: " + ALERTS + " posts into the pilot's session " + parent.id() + ":");
      out.println("  " + ALERT);
      parent.post(ALERTS, ALERT);
      outcomes.add(
          approve(reviews, deliveries, slack, ScriptedPilotModel.INVESTIGATOR, stageSessions, out));
      approved.add(ScriptedPilotModel.INVESTIGATOR);
      SessionState end = parent.awaitFinished(TURN);
      out.println("pilot: " + (end.output() == null ? end.status() : text(end)));
      String incidentId = stageSessions.get(stageSessions.size() - 1);

      List<AuditLine> audit = audit(reviews, sessions, parent);
      out.println();
      out.println("Audit trail (from the pilot's session log and its children's):");
      out.println(
          String.format(
              "  %-14s %-10s %-13s %-5s %-30s %s",
              "stage", "artifact", "hash", "by", "at", "opened by"));
      for (AuditLine a : audit)
        out.println(
            String.format(
                "  %-14s %-10s %-13s %-5s %-30s %s",
                a.stage(),
                a.artifactType(),
                a.hash().substring(0, 12),
                a.approver(),
                a.at(),
                a.origin()));
      return new Demo(
          parent.id(),
          parent.state(),
          parentLog(parent),
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

  /**
   * What the pilot must act on goes to Slack: review requests only (the decisions are hers, and the
   * audit trail shows them).
   */
  static Notifier reviewRequests(Notifier slack) {
    return n -> {
      if (n.kind() == Notification.Kind.REVIEW_REQUESTED) slack.deliver(n);
    };
  }

  /**
   * Waits for the stage's proposal and for its review request in Slack (the pilot's inbox), then
   * approves it as the pilot.
   */
  private static ReviewOutcome approve(
      Reviews reviews,
      List<DeliveryRecord> deliveries,
      SlackProcess slack,
      String stage,
      List<String> stageSessions,
      PrintStream out) {
    PendingReview pending = awaitProposal(reviews, stage);
    ReviewState review = reviews.review(pending.reviewId());
    String type = ArtifactTypes.standard().typeOf(review.artifact()).name();
    out.println();
    out.println("  " + stage + " proposes a " + type + " (session " + review.sessionId() + "):");
    awaitSlack(reviews, deliveries, review.id(), stage);
    slack.sync(); // the receiver printed the request before it answered: now it is in `out`
    stageSessions.add(review.sessionId());
    ReviewOutcome outcome =
        reviews.decide(review.id(), review.hash(), PILOT_TOKEN, Decision.approve());
    out.println("  " + PILOT + " approves " + stage + "'s " + type + ": " + outcome.status());
    return outcome;
  }

  /**
   * Runs the review sweep until the review request for {@code reviewId} was delivered to Slack (the
   * receiver printed it as the pilot sees it before it answered).
   */
  private static void awaitSlack(
      Reviews reviews, List<DeliveryRecord> deliveries, String reviewId, String agent) {
    long deadline = System.nanoTime() + TURN.toNanos();
    while (System.nanoTime() < deadline) {
      reviews.runDue();
      for (DeliveryRecord r : deliveries) {
        if (r.kind() != Notification.Kind.REVIEW_REQUESTED
            || !r.notificationId().startsWith(reviewId + ":")) continue;
        if (r.outcome() == DeliveryRecord.Outcome.DELIVERED) return;
        if (r.outcome() == DeliveryRecord.Outcome.GAVE_UP)
          throw new IllegalStateException(
              "Slack refused the review request of agent '" + agent + "': " + r.error());
      }
      sleep(agent);
    }
    throw new IllegalStateException(
        "expected the review request of agent '"
            + agent
            + "' in Slack within "
            + TURN
            + " but none arrived; read the review's delivery records for why");
  }

  private static void sleep(String agent) {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + agent + "'s proposal", e);
    }
  }

  /** Polls the review queue for the agent's proposal: a pilot's inbox refreshing. */
  private static PendingReview awaitProposal(Reviews reviews, String agent) {
    long deadline = System.nanoTime() + TURN.toNanos();
    ReviewQuery query = ReviewQuery.builder().agent(agent).build();
    while (System.nanoTime() < deadline) {
      List<PendingReview> page = reviews.pending(query).reviews();
      if (!page.isEmpty()) return page.get(0);
      sleep(agent);
    }
    throw new IllegalStateException(
        "expected agent '"
            + agent
            + "' to propose an artifact for the pilot within "
            + TURN
            + " but none is pending; read its session's log for why");
  }

  /**
   * The audit trail, read from the parent's log: each {@code start_session} call in it, in log
   * order, the child session that call opened (its origin names the parent and the call), and every
   * decision in that child's log (a fold over its {@code review.*} events).
   */
  static List<AuditLine> audit(Reviews reviews, Sessions sessions, Session parent) {
    List<AuditLine> lines = new ArrayList<>();
    for (LoggedEvent logged : parent.history()) {
      if (!(logged.event() instanceof SessionEvent.CallSuspended call)
          || !call.tool().equals(AgentTriggers.TOOL)) continue;
      SessionPage children =
          sessions.query(
              SessionQuery.builder().origin(Origin.session(parent.id(), call.callId())).build());
      for (var summary : children.sessions()) {
        SessionState child = sessions.session(summary.id()).state();
        if (!call.callId().equals(child.origin().reference())) continue; // another call's child
        for (ReviewState r : reviews.reviews(child.id()))
          for (ReviewState.DecisionRecord d : r.decisions())
            lines.add(
                new AuditLine(
                    r.provenance().agent(),
                    child.id(),
                    child.origin().key() + "/" + call.callId(),
                    child.createdAt(),
                    ArtifactTypes.standard().typeOf(r.artifact()).name(),
                    d.hash().hex(),
                    d.reviewer(),
                    d.kind().name(),
                    d.at()));
      }
    }
    return lines;
  }

  /** The parent's log, one line per event: its type and what it is about. */
  static List<String> parentLog(Session parent) {
    List<String> lines = new ArrayList<>();
    for (LoggedEvent logged : parent.history()) {
      SessionEvent e = logged.event();
      String detail = "";
      if (e instanceof SessionEvent.CallSuspended c)
        detail = c.callId() + " " + c.arguments().path("agent").asString("");
      else if (e instanceof SessionEvent.OutcomeResolved r) detail = r.callId() + " by " + r.by();
      else if (e instanceof SessionEvent.MessagePosted m) detail = "by " + m.author();
      lines.add((e.type() + " " + detail).strip());
    }
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
