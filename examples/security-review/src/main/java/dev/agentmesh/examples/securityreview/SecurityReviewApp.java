package dev.agentmesh.examples.securityreview;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.examples.support.ExampleModel;
import dev.agentmesh.examples.support.ExampleStore;
import dev.agentmesh.review.ArtifactTypes;
import dev.agentmesh.review.Authenticator;
import dev.agentmesh.review.CodeDiff;
import dev.agentmesh.review.Comment;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.ReviewOutcome;
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
import dev.agentmesh.sessions.spi.SessionStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Example 6, the security reviewer for one message: in a coding session of two people, the coding
 * agent proposes a {@code CodeDiff}; bo asks the security-reviewer agent to review it, for this one
 * message; its findings become anchored comments on the diff (an agent's comments, never a
 * decision); ana's next message is answered by the session's default agent, the coder, whose fixed
 * diff supersedes the first; bo approves it.
 *
 * <pre>
 * ./mvnw -q -pl examples/security-review -am package -DskipTests exec:java
 * </pre>
 */
public final class SecurityReviewApp {

  /** The two people's credentials: the host's authenticator turns them into reviewers. */
  static final String ANA_TOKEN = "demo-token-of-ana";

  static final String BO_TOKEN = "demo-token-of-bo";

  static final String TASK =
      "Add a login method to LoginController that checks the password against the users table.";

  static final Duration TURN = Duration.ofMinutes(2);

  private SecurityReviewApp() {}

  /**
   * Runs the example with the process's environment and system properties.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.getenv(), System.getProperties(), System.out);
  }

  /**
   * The whole example; the environment and properties choose the model and the store's file.
   *
   * @param env the environment: {@code OPENAI_*} or {@code ANTHROPIC_*} for a real model
   * @param props system properties: {@code agentmesh.example.db} for the store's file
   * @param out where the example prints what a participant would see
   * @return the coding session as it ended
   */
  static SessionState run(Map<String, String> env, Properties props, PrintStream out) {
    ChatModel model = ExampleModel.from(env, out, OfflineCodingModel::new);
    try (Mesh mesh = mesh(model);
        SqliteSessionStore store = ExampleStore.sqlite("security-review", props, env);
        Reviews reviews = reviews(mesh, store, out);
        Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build()) {
      return codingSession(sessions, reviews, out);
    }
  }

  /** The mesh: the two agents, both model aliases bound to {@code model}. */
  static Mesh mesh(ChatModel model) {
    return Mesh.builder()
        .agent(spec("agents/coder.yaml"))
        .agent(spec("agents/security-reviewer.yaml"))
        .model("coder", model)
        .model("reviewer", model)
        .build();
  }

  /**
   * The review runtime: ana and bo are reviewers; an approved diff is "merged" by printing its
   * files with the approval's idempotency key (a real host pushes a branch or opens a pull request
   * keyed by it). The sweep is run by hand (not needed here).
   */
  static Reviews reviews(Mesh mesh, SessionStore store, PrintStream out) {
    return Reviews.builder(mesh)
        .store(store)
        .authenticator(
            Authenticator.tokens(
                Map.of(ANA_TOKEN, Reviewer.of("ana"), BO_TOKEN, Reviewer.of("bo"))))
        .publisher(
            "code-diff",
            publication -> {
              List<String> files =
                  ((CodeDiff) publication.artifact())
                      .files().stream().map(CodeDiff.FileChange::path).toList();
              out.println("  merged " + files + " (key " + publication.idempotencyKey() + ")");
              return Map.of("merged", files);
            })
        .sweepInterval(null)
        .build();
  }

  /**
   * The session: the coder proposes, bo asks the security reviewer about this one diff, its
   * findings become comments on the review; ana's next message is a plain one, for the session's
   * default agent: it joins the conversation while the diff waits, and once bo requests changes the
   * coder answers it and the change request in its next turn; bo approves the fixed diff (ana
   * started the session, so four eyes leave the approval to bo).
   */
  static SessionState codingSession(Sessions sessions, Reviews reviews, PrintStream out) {
    Session session =
        sessions
            .newSession("coder")
            .input(Map.of("task", TASK))
            .origin(Origin.human("ana"))
            .participant("ana", ParticipantRole.OWNER)
            .participant("bo", ParticipantRole.MEMBER)
            .start();
    out.println("Session " + session.id() + " (ana, bo). ana: " + TASK);
    session.awaitIdle(TURN);
    ReviewState first = reviews.pending(session.id()).get(0);
    show(out, "coder proposes " + first.id(), first);

    String ask = "Before I approve it: is this diff safe?";
    out.println("bo -> security-reviewer (this message only): " + ask);
    session.postTo("bo", "security-reviewer", ask);
    SessionState reviewed = session.awaitIdle(TURN);
    List<Comment> findings = SecurityFindings.comments(reviewed);
    ReviewState commented = reviews.comment(first.id(), SecurityFindings.AGENT, findings);
    out.println("security-reviewer: " + SecurityFindings.summary(reviewed));
    for (ReviewState.Finding finding : commented.findings()) {
      for (ReviewState.Comment c : finding.comments()) {
        out.println("  [" + finding.agent() + "] " + c.where() + ": " + c.text());
      }
    }
    out.println(
        "  (comments by an agent: review "
            + commented.status()
            + ", "
            + commented.decisions().size()
            + " decisions)");

    String next = "Thanks. Please fix what the security reviewer found.";
    out.println("ana (to the session, so to its default agent): " + next);
    session.post("ana", next); // waits in the conversation while the review does
    reviews.decide(
        first.id(),
        first.hash(),
        BO_TOKEN,
        Decision.requestChanges("Fix the security reviewer's findings.", findings));
    out.println("bo requests changes: Fix the security reviewer's findings.");
    session.awaitIdle(TURN);
    ReviewState fixed = reviews.pending(session.id()).get(0);
    show(out, "coder (the default agent again) proposes " + fixed.id(), fixed);

    ReviewOutcome outcome = reviews.decide(fixed.id(), fixed.hash(), BO_TOKEN, Decision.approve());
    SessionState done = session.awaitFinished(TURN);
    out.println(
        "bo approves "
            + fixed.id()
            + ": "
            + outcome.status()
            + ", effect "
            + outcome.effect()
            + "; session "
            + done.status());
    return done;
  }

  private static void show(PrintStream out, String what, ReviewState review) {
    out.println();
    out.println(what + " (" + review.hash() + "):");
    out.println(ArtifactTypes.standard().render(review.artifact(), SurfaceFormat.TEXT).indent(2));
  }

  static AgentSpec spec(String resource) {
    try (InputStream in = SecurityReviewApp.class.getResourceAsStream("/" + resource)) {
      if (in == null) throw new IllegalStateException("the example's jar lacks " + resource);
      return AgentSpecs.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
