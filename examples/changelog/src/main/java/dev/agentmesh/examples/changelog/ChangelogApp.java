package dev.agentmesh.examples.changelog;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.examples.support.ExampleModel;
import dev.agentmesh.examples.support.ExampleStore;
import dev.agentmesh.examples.support.SlackProcess;
import dev.agentmesh.review.Anchor;
import dev.agentmesh.review.Authenticator;
import dev.agentmesh.review.Comment;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.Document;
import dev.agentmesh.review.ReviewOutcome;
import dev.agentmesh.review.ReviewRefusedException;
import dev.agentmesh.review.ReviewState;
import dev.agentmesh.review.Reviewer;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.review.notify.SlackNotifier;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.triggers.Occurrence;
import dev.agentmesh.triggers.TickReport;
import dev.agentmesh.triggers.TriggerClaim;
import dev.agentmesh.triggers.TriggerDefinition;
import dev.agentmesh.triggers.TriggerSpec;
import dev.agentmesh.triggers.TriggerSpecs;
import dev.agentmesh.triggers.Triggers;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Example 3, the weekly changelog writer: a Friday cron reads the week's commits of a small git
 * repository, the changelog writer proposes the week's section as a {@link Document}; the team lead
 * requests a change once with a comment anchored to a line, the agent revises it in the same
 * session, and the approved section is published to {@code CHANGELOG.md} once.
 *
 * <p>The trigger runtime runs on a settable clock: the demo sets it to Friday 2026-12-04 16:00 in
 * Berlin and ticks, so the occurrence fires at once. A second run finds the occurrence claimed and
 * publishes nothing again.
 *
 * <pre>
 * ./mvnw -q -pl examples/changelog -am package -DskipTests exec:java
 * </pre>
 */
public final class ChangelogApp {

  /** The trigger's id, as in {@code triggers/weekly-changelog.yaml}. */
  static final String TRIGGER = "weekly-changelog";

  /** The occurrence the demo fires: Friday 2026-12-04, 16:00 in Berlin. */
  static final Instant FRIDAY = Instant.parse("2026-12-04T15:00:00Z");

  /** The team lead's credential: the host's authenticator turns it into reviewer "lead". */
  static final String LEAD_TOKEN = "demo-token-of-the-team-lead";

  /** Where the repository goes unless told: {@code -Dagentmesh.example.repo} or this variable. */
  static final String REPO_PROPERTY = "agentmesh.example.repo";

  static final String REPO_ENV = "AGENTMESH_EXAMPLE_REPO";

  static final Duration TURN = Duration.ofMinutes(2);

  private ChangelogApp() {}

  /**
   * Runs the example with the process's environment and system properties.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.getenv(), System.getProperties(), System.out);
  }

  /**
   * The whole example; the environment and properties choose the model, the store and the
   * repository.
   *
   * @param env {@code OPENAI_*} or {@code ANTHROPIC_*} for a real model, {@code
   *     AGENTMESH_EXAMPLE_DB}, {@code AGENTMESH_EXAMPLE_REPO}
   * @param props {@code agentmesh.example.db}, {@code agentmesh.example.repo}
   * @param out where the example prints what the lead would see
   * @return the id of Friday's session
   */
  static String run(Map<String, String> env, Properties props, PrintStream out) {
    ChatModel model = ExampleModel.from(env, out, OfflineChangelogModel::new);
    Path repo = repoDir(props, env);
    boolean existed = Files.isDirectory(repo.resolve(".git"));
    Git git = DemoRepository.createIfAbsent(repo);
    out.println(
        (existed ? "Repository (from an earlier run): " : "Repository: ")
            + repo.toAbsolutePath()
            + " ("
            + git.run("rev-list", "--count", "HEAD")
            + " commits)");
    FakeClock clock = FakeClock.at(FRIDAY.minus(Duration.ofMinutes(1)));
    try (Mesh mesh = mesh(model, git);
        SlackProcess slack = SlackProcess.start(out);
        SqliteSessionStore store = ExampleStore.sqlite("changelog", props, env);
        Reviews reviews = reviews(mesh, store, git, slack.webhookUri());
        Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build();
        Triggers triggers = Triggers.builder(sessions).addAll(definitions()).clock(clock).build()) {
      clock.set(FRIDAY.plusSeconds(1));
      TickReport tick = triggers.tick();
      TriggerClaim claim = triggers.claims(TRIGGER, FRIDAY, FRIDAY.plusSeconds(1), 1).get(0);
      Session session = sessions.session(Objects.requireNonNull(claim.sessionId()));
      out.println(
          tick.started() == 1
              ? "Friday 16:00 in Berlin: trigger '" + TRIGGER + "' started session " + session.id()
              : "Friday's occurrence was fired by an earlier run: session "
                  + session.id()
                  + " (nothing fires or publishes twice)");
      SessionState state = review(session, reviews, slack, git, out);
      out.println();
      out.println("Session " + session.id() + ": " + state.status() + ", origin " + state.origin());
      out.println(DemoRepository.CHANGELOG + ":");
      out.println(Files.readString(repo.resolve(DemoRepository.CHANGELOG)).indent(2));
      out.println("git log --oneline -2:");
      out.println(git.run("log", "--oneline", "-2").indent(2));
      return session.id();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The lead's side: each proposal reaches the lead as a Slack message (the review runtime's Slack
   * notifier, delivered to the local receiver, which prints it); the first draft gets one change
   * request with an anchored comment, the revision is approved (its effect publishes it), and a
   * second approval is refused. Each step reads where the review stands, so a run interrupted
   * halfway goes on where it stopped.
   */
  static SessionState review(
      Session session, Reviews reviews, SlackProcess slack, Git git, PrintStream out) {
    SessionState state = session.awaitIdle(TURN);
    for (int round = 0; round < 3 && state.status() == SessionStatus.WAITING; round++) {
      ReviewState pending = reviews.pending(session.id()).get(0);
      out.println();
      out.println(pending.title() + ": " + pending.id() + " (" + pending.hash() + ")");
      reviews.runDue(); // the sweep, by hand: the review request goes to Slack, printed below
      slack.sync(); // the receiver printed it before it answered: now it is in `out`
      if (pending.supersedes() == null) {
        Comment comment =
            new Comment(
                anchorOf((Document) pending.artifact(), breakingCommit(git)),
                "This is a breaking change: list it under '### Breaking changes', first, as our"
                    + " format says.");
        reviews.decide(
            pending.id(),
            pending.hash(),
            LEAD_TOKEN,
            Decision.requestChanges("Breaking changes come first.", List.of(comment)));
        out.println(
            "lead requests changes at " + comment.anchor().describe() + ": " + comment.text());
      } else {
        ReviewOutcome outcome =
            reviews.decide(pending.id(), pending.hash(), LEAD_TOKEN, Decision.approve());
        out.println("lead approves: review " + outcome.status() + ", effect " + outcome.effect());
        try {
          reviews.decide(pending.id(), pending.hash(), LEAD_TOKEN, Decision.approve());
        } catch (ReviewRefusedException refused) {
          out.println(
              "a second approval is refused ("
                  + refused.reason().code()
                  + ") and recorded; nothing is published twice");
        }
      }
      state = session.awaitIdle(TURN);
    }
    return state;
  }

  /** The line of the draft that lists the breaking commit, or the whole document. */
  static Anchor anchorOf(Document draft, String breakingHash) {
    List<String> lines = draft.after().lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(breakingHash)) return Anchor.line(i + 1);
    }
    return Anchor.whole();
  }

  static String breakingCommit(Git git) {
    return git.run("log", "--format=%h", "--abbrev=7", "-1", "--grep=BREAKING CHANGE");
  }

  /** The mesh: the changelog writer, its model behind alias {@code writer}, its git tool. */
  static Mesh mesh(ChatModel model, Git git) {
    return Mesh.builder()
        .agent(spec("agents/changelog-writer.yaml"))
        .model("writer", model)
        .tools(new CommitLog(git))
        .build();
  }

  /** The review runtime: the lead decides; an approved document is published to the repo. */
  static Reviews reviews(Mesh mesh, SqliteSessionStore store, Git git) {
    return builder(mesh, store, git).build();
  }

  /**
   * The review runtime that also tells the lead on Slack (at {@code slack}) that a review waits.
   * The sweep is run by hand ({@link Reviews#runDue()}) and delivers on its caller's thread, so the
   * message is printed before the lead decides.
   */
  static Reviews reviews(Mesh mesh, SqliteSessionStore store, Git git, URI slack) {
    return builder(mesh, store, git)
        .notifier("slack", SlackNotifier.builder(slack).build())
        .deliveryExecutor(Runnable::run)
        .build();
  }

  private static Reviews.Builder builder(Mesh mesh, SqliteSessionStore store, Git git) {
    return Reviews.builder(mesh)
        .store(store)
        .authenticator(Authenticator.tokens(Map.of(LEAD_TOKEN, Reviewer.of("lead"))))
        .publisher("document", ChangelogPublisher.handler(git))
        .sweepInterval(null);
  }

  /**
   * The trigger file's cron triggers, each occurrence's input its week: Monday 00:00 to the
   * occurrence, in the trigger's zone.
   */
  static List<TriggerDefinition> definitions() {
    return TriggerSpecs.parse(resource("triggers/weekly-changelog.yaml"), "weekly-changelog.yaml")
        .stream()
        .map(ChangelogApp::definition)
        .toList();
  }

  private static TriggerDefinition definition(TriggerSpec spec) {
    return TriggerDefinition.of(spec.id(), Objects.requireNonNull(spec.schedule()))
        .agent(spec.agent())
        .overlap(spec.overlap())
        .catchUp(spec.catchUp())
        .jitter(spec.jitter())
        .input(occurrence -> weekOf(occurrence, spec.zone()))
        .version("week-of-occurrence")
        .build();
  }

  /** The agent's input for one occurrence: the week from Monday 00:00 to the occurrence. */
  static Map<String, String> weekOf(Occurrence occurrence, ZoneId zone) {
    ZonedDateTime at = occurrence.scheduledAt().atZone(zone);
    LocalDate monday = at.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    return Map.of(
        "weekStart", monday.toString(),
        "weekEnd", at.toLocalDate().toString(),
        "since", monday.atStartOfDay(zone).toInstant().toString(),
        "until", occurrence.scheduledAt().toString());
  }

  /** The repository's directory: the property, else the variable, else under the temp dir. */
  static Path repoDir(Properties props, Map<String, String> env) {
    String configured = props.getProperty(REPO_PROPERTY, env.get(REPO_ENV));
    if (configured != null && !configured.isBlank()) return Path.of(configured);
    return Path.of(props.getProperty("java.io.tmpdir"), "agentmesh-examples", "changelog-repo");
  }

  static AgentSpec spec(String name) {
    return AgentSpecs.parse(resource(name), name);
  }

  private static String resource(String name) {
    try (InputStream in = ChangelogApp.class.getResourceAsStream("/" + name)) {
      if (in == null) throw new IllegalStateException("the example's jar lacks " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
