package dev.agentmesh.examples.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.examples.support.ExampleStore;
import dev.agentmesh.review.Document;
import dev.agentmesh.review.EffectStatus;
import dev.agentmesh.review.Publication;
import dev.agentmesh.review.ReviewState;
import dev.agentmesh.review.ReviewStatus;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.SqliteSessionStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example with the scripted model: Friday's occurrence, the changelog as a document, one change
 * request with an anchored comment, the revision approved and published once; a second run and a
 * replayed publication write nothing.
 */
class ChangelogExampleTest {

  @TempDir static Path dir;
  static Properties props = new Properties();
  static String firstRun;
  static String sessionId;

  @BeforeAll
  static void runTheExampleOnce() {
    Git.in(dir).version(); // fails the tests with what to install when git is missing
    props.setProperty("agentmesh.example.db", dir.resolve("changelog.db").toString());
    props.setProperty("agentmesh.example.repo", dir.resolve("repo").toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sessionId =
        ChangelogApp.run(Map.of(), props, new PrintStream(out, true, StandardCharsets.UTF_8));
    firstRun = out.toString(StandardCharsets.UTF_8);
  }

  private static Path changelog() {
    return dir.resolve("repo").resolve(DemoRepository.CHANGELOG);
  }

  private static Git git() {
    return Git.in(dir.resolve("repo"));
  }

  /** Reads the example's store with the same runtime the app built. */
  private static <T> T inspect(java.util.function.BiFunction<Sessions, Reviews, T> read) {
    try (Mesh mesh = ChangelogApp.mesh(new OfflineChangelogModel(), git());
        SqliteSessionStore store = ExampleStore.sqlite("changelog", props, Map.of());
        Reviews reviews = ChangelogApp.reviews(mesh, store, git());
        Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build()) {
      return read.apply(sessions, reviews);
    }
  }

  @Test
  void theApprovedSectionIsInChangelogMdInTheTeamsFormatWithTheWeeksCommitsOnly()
      throws IOException {
    String text = Files.readString(changelog());
    String hash = ChangelogApp.breakingCommit(git());

    assertThat(text)
        .startsWith(DemoRepository.HEADER)
        .contains("## Week of 2026-11-30 to 2026-12-04\n\n### Breaking changes\n")
        .contains("- **sessions**: Session.postTo replaces Session.ask (" + hash + ")\n")
        .contains("### Features\n- **review**: documents show a word-level redline (")
        .contains("### Fixes\n- **triggers**: a cron occurrence in a DST gap fires once (")
        .contains("### Documentation\n- how a host adds an artifact type (")
        .doesNotContain("bump cron-utils") // a chore
        .doesNotContain("validate prints the file") // the week before
        .doesNotContain("(breaking)");
    assertThat(text.indexOf("### Breaking changes")).isLessThan(text.indexOf("### Features"));
    assertThat(text.split("<!-- published by agentmesh: review:", -1)).hasSize(2);
    assertThat(git().run("log", "--format=%s", "-1"))
        .isEqualTo("docs(changelog): Changelog: week of 2026-11-30");
  }

  @Test
  void theFirstDraftGetsOneAnchoredChangeRequestAndTheRevisionIsApprovedAndPublishedOnce() {
    List<ReviewState> all = inspect((sessions, reviews) -> reviews.reviews(sessionId));

    assertThat(all)
        .extracting(ReviewState::status)
        .containsExactly(ReviewStatus.SUPERSEDED, ReviewStatus.APPROVED);
    ReviewState draft = all.get(0);
    ReviewState revision = all.get(1);
    assertThat(draft.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reviewer()).isEqualTo("lead");
              assertThat(d.kind()).isEqualTo(ReviewState.Kind.REQUEST_CHANGES);
              assertThat(d.reason()).isEqualTo("Breaking changes come first.");
              assertThat(d.comments())
                  .singleElement()
                  .satisfies(c -> assertThat(c.where()).isEqualTo("line 5"));
            });
    assertThat(((Document) draft.artifact()).after().lines().toList().get(4))
        .contains("(breaking) Session.postTo replaces Session.ask");
    assertThat(revision.provenance().agent()).isEqualTo("changelog-writer");
    assertThat(revision.approvers()).containsExactly("lead");
    assertThat(revision.effect()).isEqualTo(EffectStatus.APPLIED);
    assertThat(revision.refusals())
        .singleElement()
        .satisfies(r -> assertThat(r.code()).isEqualTo("already-decided"));
  }

  @Test
  void theSessionWasStartedByFridaysCronOccurrenceWithItsWeekAndItsLogIsTheAuditTrail() {
    List<String> steps = new ArrayList<>();
    SessionState state =
        inspect(
            (sessions, reviews) -> {
              for (LoggedEvent e : sessions.session(sessionId).history()) {
                String type = e.event().type();
                if (type.startsWith("review.") || type.startsWith("session.")) steps.add(type);
              }
              return sessions.session(sessionId).state();
            });

    assertThat(state.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(state.origin()).isEqualTo(Origin.cron(ChangelogApp.TRIGGER, ChangelogApp.FRIDAY));
    assertThat(state.input().path("weekStart").asString()).isEqualTo("2026-11-30");
    assertThat(state.input().path("since").asString()).isEqualTo("2026-11-29T23:00:00Z");
    assertThat(state.output(Document.class).after()).startsWith("## Week of 2026-11-30");
    assertThat(steps)
        .containsSubsequence(
            "session.created",
            "review.proposed",
            "review.decided",
            "review.superseded",
            "review.proposed",
            "review.decided",
            "review.approved",
            "review.effect-started",
            "review.effect-applied",
            "review.refused")
        .containsOnlyOnce("review.effect-applied");
  }

  @Test
  void aSecondRunAndAReplayedPublicationWriteNothingTwice() throws IOException {
    String before = Files.readString(changelog());
    String commits = git().run("rev-list", "--count", "HEAD");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    String again =
        ChangelogApp.run(Map.of(), props, new PrintStream(out, true, StandardCharsets.UTF_8));
    ReviewState approved = inspect((sessions, reviews) -> reviews.reviews(sessionId)).get(1);
    Object replayed =
        ChangelogPublisher.handler(git())
            .publish(
                new Publication(
                    approved.id(),
                    approved.effectKey(),
                    approved.artifact(),
                    approved.hash(),
                    approved.provenance(),
                    List.copyOf(approved.approvers())));

    assertThat(again).isEqualTo(sessionId);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Friday's occurrence was fired by an earlier run: session " + sessionId);
    assertThat(replayed).isEqualTo(Map.of("file", "CHANGELOG.md", "written", false));
    assertThat(Files.readString(changelog())).isEqualTo(before);
    assertThat(git().run("rev-list", "--count", "HEAD")).isEqualTo(commits);
  }

  @Test
  void theDemoPrintsTheDraftTheCommentAndThePublishedFile() {
    String requested =
        "Slack message:\n"
            + "  | *Review requested: changelog-writer proposes document 'Changelog: week of"
            + " 2026-11-30'*\n";
    assertThat(firstRun)
        .startsWith("Model: the scripted stand-in")
        .contains("Repository: " + dir.resolve("repo").toAbsolutePath() + " (8 commits)")
        .contains("trigger 'weekly-changelog' started session " + sessionId)
        .contains("  | [Approve] [Reject]")
        .contains("  | (artifact " + sessionId + "/r1 · hash sha256:")
        .contains("lead requests changes at line 5: This is a breaking change")
        .contains("lead approves: review APPROVED, effect APPLIED")
        .contains("a second approval is refused (already-decided)")
        .contains("docs(changelog): Changelog: week of 2026-11-30");
    assertThat(firstRun.split(java.util.regex.Pattern.quote(requested), -1))
        .as("the lead is asked on Slack once per proposal, before each decision")
        .hasSize(3);
    assertThat(firstRun.indexOf(requested)).isLessThan(firstRun.indexOf("lead requests changes"));
  }

  @Test
  void withoutGitTheExampleSaysWhatToInstall(@TempDir Path empty) {
    assertThatThrownBy(() -> Git.using("git-is-not-installed-here", empty).version())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("runs the 'git-is-not-installed-here' command")
        .hasMessageContaining("Install git (Debian/Ubuntu: apt-get install git");
  }
}
