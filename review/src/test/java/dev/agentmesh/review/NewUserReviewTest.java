package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionStatus;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Written from docs/review.md only, as a new user would: each test checks one promise. */
class NewUserReviewTest {

  private final ReviewHarness world = new ReviewHarness();

  @AfterEach
  void close() {
    world.close();
  }

  private static List<String> customTypes(Session session) {
    return session.history().stream()
        .map(LoggedEvent::event)
        .filter(e -> e instanceof SessionEvent.Custom)
        .map(e -> ((SessionEvent.Custom) e).type())
        .toList();
  }

  private static String code(ThrowingCall call) {
    ReviewRefusedException e = catchThrowableOfType(ReviewRefusedException.class, call::run);
    assertThat(e).as("a ReviewRefusedException").isNotNull();
    return e.reason().code();
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void aRefusedDecisionIsThrownAndRecorded() {
    ReviewHarness.Node node = world.node();
    Session session = node.start("My invoice is wrong");
    ReviewState review = node.pending(session);
    assertThat(review.id()).isEqualTo(session.id() + "/r1");

    assertThat(
            code(
                () ->
                    node.reviews().decide(review.id(), review.hash(), "t-eve", Decision.approve())))
        .isEqualTo("not-a-reviewer");
    assertThat(
            code(
                () ->
                    node.reviews()
                        .decide(review.id(), review.hash(), "made-up", Decision.approve())))
        .isEqualTo("unauthenticated");
    ContentHash other =
        ArtifactTypes.standard().contentHash(new Document("x", Document.Format.TEXT, "a", "b"));
    assertThat(code(() -> node.reviews().decide(review.id(), other, "t-bo", Decision.approve())))
        .isEqualTo("stale-hash");
    assertThat(customTypes(session).stream().filter("review.refused"::equals)).hasSize(3);
    assertThat(
            code(
                () ->
                    node.reviews()
                        .decide(session.id() + "/r9", review.hash(), "t-bo", Decision.approve())))
        .isEqualTo("unknown-review");
    assertThat(customTypes(session).stream().filter("review.refused"::equals)).hasSize(3);
    assertThat(world.sent).isEmpty();
    assertThat(node.reviews().pending(session.id())).hasSize(1);
  }

  @Test
  void anApprovedEffectRunsOnceAndALaterDecisionIsRefused() {
    ReviewHarness.Node node = world.node();
    Session session = node.start("My invoice is wrong");
    ReviewState review = node.pending(session);
    ReviewOutcome outcome =
        node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve());
    assertThat(outcome.status()).isEqualTo(ReviewStatus.APPROVED);
    assertThat(outcome.effect()).isEqualTo(EffectStatus.APPLIED);
    assertThat(world.sent).hasSize(1);
    assertThat(world.sent.get(0).idempotencyKey())
        .isEqualTo("review:" + review.id() + ":" + review.hash().toString().substring(7));

    assertThat(
            code(
                () ->
                    node.reviews().decide(review.id(), review.hash(), "t-cy", Decision.approve())))
        .isEqualTo("already-decided");
    node.reviews().runDue();
    assertThat(world.sent).hasSize(1);
    assertThat(session.awaitFinished(ReviewHarness.WAIT).status())
        .isEqualTo(SessionStatus.COMPLETED);
    assertThat(customTypes(session))
        .containsSubsequence(
            "review.proposed",
            "review.decided",
            "review.approved",
            "review.effect-started",
            "review.effect-applied");
  }

  @Test
  void aRejectionFailsTheTurnAndRunsNoEffect() {
    ReviewHarness.Node node = world.node();
    Session session = node.start("My invoice is wrong");
    ReviewState review = node.pending(session);
    node.reviews().decide(review.id(), review.hash(), "t-cy", Decision.reject("wrong tone"));
    assertThat(world.sent).isEmpty();
    assertThat(
            code(
                () ->
                    node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve())))
        .isEqualTo("already-decided");
    assertThat(world.sent).isEmpty();
  }

  @Test
  void hostileTextInAnArtifactRendersInert() {
    String hostile =
        "<script>alert(1)</script> <!channel> <https://evil.example|click> \u202Egnp.exe"
            + " \u001B[31mred [x](javascript:alert(1)) <img src=x onerror=alert(1)> \u200B";
    OutboundMessage message =
        new OutboundMessage(
            "email",
            "bot@example.com\r\nBcc: all@evil.example",
            List.of("ana@example.com"),
            List.of(),
            List.of(),
            hostile,
            hostile + "\n# heading\n    indented");
    ArtifactTypes types = ArtifactTypes.standard();
    String markdown = types.render(message, SurfaceFormat.MARKDOWN);
    String html = types.render(message, SurfaceFormat.HTML);
    String text = types.render(message, SurfaceFormat.TEXT);
    for (String out : List.of(markdown, html, text)) {
      assertThat(out).doesNotContain("\u202E", "\u001B", "\u200B", "\r");
    }
    assertThat(text).contains("\\x1B", "\\u202E");
    assertThat(markdown).doesNotContain("<").doesNotContainPattern("(?<!\\\\)\\]\\(");
    assertThat(html)
        .doesNotContain("<script", "<img", "<!channel>", "href=\"javascript")
        .doesNotContainPattern("<[^>]*onerror");
  }

  @Test
  void aDecompressionBombIsRefusedFromItsHeaderNamingTheLimit() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream png = new DataOutputStream(bytes);
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    png.writeInt(13);
    png.write("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    png.writeInt(100_000);
    png.writeInt(100_000);
    png.write(new byte[] {8, 6, 0, 0, 0});
    png.writeInt(0); // CRC not checked before the size is
    byte[] bomb = bytes.toByteArray();
    ArtifactValidationException e =
        catchThrowableOfType(
            ArtifactValidationException.class,
            () ->
                ArtifactTypes.standard()
                    .render(new VisualChange("home", bomb, bomb), SurfaceFormat.TEXT));
    assertThat(e).isNotNull();
    assertThat(String.join("\n", e.problems())).containsAnyOf("maxImageSide", "maxImagePixels");
  }

  @Test
  void validationCollectsEveryProblemAndTheHashIgnoresMapOrder() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("sku", "A1");
    ab.put("price", "2.00");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("price", "2.00");
    ba.put("sku", "A1");
    Table.Data before =
        new Table.Data(List.of("sku", "price"), List.of(Map.of("sku", "A1", "price", "1.00")));
    Table one =
        new Table(
            "prices",
            List.of("sku"),
            List.of(),
            before,
            new Table.Data(List.of("sku", "price"), List.of(ab)));
    Table two =
        new Table(
            "prices",
            List.of("sku"),
            List.of(),
            before,
            new Table.Data(List.of("sku", "price"), List.of(ba)));
    ArtifactTypes types = ArtifactTypes.standard();
    assertThat(types.contentHash(one)).isEqualTo(types.contentHash(two));
    assertThat(types.contentHash(one).toString()).matches("sha256:[0-9a-f]{64}");
    assertThat(types.fromJson(types.toJson(one))).isEqualTo(one);

    Table bad =
        new Table(
            "prices",
            List.of("sku"),
            List.of(),
            before,
            new Table.Data(
                List.of("sku", "price"), List.of(Map.of("price", "3"), Map.of("price", "4"))));
    ArtifactValidationException e =
        catchThrowableOfType(ArtifactValidationException.class, () -> types.contentHash(bad));
    assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("no value for key column 'sku'"));

    String json = types.toJson(one);
    String withExtra = json.replace("{\"artifact\":{", "{\"artifact\":{\"zzz\":1,");
    assertThatThrownBy(() -> types.fromJson(withExtra)).isInstanceOf(RuntimeException.class);
  }
}
