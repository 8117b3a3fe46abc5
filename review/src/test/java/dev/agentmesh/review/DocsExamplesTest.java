package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.review.spi.ArtifactValidator;
import dev.agentmesh.review.spi.SurfaceRenderer;
import dev.agentmesh.testsupport.DocsExamples;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code shown in docs/review.md, compiled and run. Keep the two in step. */
class DocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/review.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/review/DocsExamplesTest.java");

  // docs:begin host-type
  /** A host's own artifact: moving a support ticket to another queue. */
  public record TicketMove(String ticket, String fromQueue, String toQueue, String reason)
      implements ReviewArtifact {}

  static final ArtifactValidator<TicketMove> TICKET_RULES =
      (move, limits) -> {
        List<String> problems = new ArrayList<>();
        if (!move.ticket().matches("[A-Z]+-\\d+")) {
          problems.add("ticket must look like 'SUP-123' but was '" + move.ticket() + "'");
        }
        if (move.fromQueue().equals(move.toQueue())) {
          problems.add(
              "fromQueue and toQueue are both '"
                  + move.toQueue()
                  + "'; a move must change the queue");
        }
        return problems;
      };

  static final SurfaceRenderer<TicketMove> TICKET_SURFACE =
      (move, context) ->
          new Surface(
              "Move " + move.ticket() + " to " + move.toQueue(),
              List.of("1 ticket moved"),
              List.of(
                  new Block.Fields(
                      List.of(
                          Block.Field.of(
                              "Queue",
                              Span.deleted(move.fromQueue()),
                              Span.plain(" -> "),
                              Span.inserted(move.toQueue())),
                          Block.Field.of("Reason", Span.plain(move.reason()))))));

  static final ArtifactTypes TYPES =
      ArtifactTypes.builder()
          .register(
              ArtifactType.of("acme.ticket-move", TicketMove.class, TICKET_RULES, TICKET_SURFACE))
          .internalDomains("acme.example")
          .build();

  // docs:end

  @Test
  void aHostDefinedTypeIsValidatedHashedStoredAndRendered() {
    // docs:begin host-type-use
    TicketMove move =
        new TicketMove("SUP-42", "billing", "refunds", "asks for a refund <!channel>");
    ContentHash hash = TYPES.contentHash(move); // sha256 over the canonical JSON
    String stored = TYPES.toJson(move); // {"artifact":{...},"type":"acme.ticket-move"}
    ReviewArtifact read = TYPES.fromJson(stored); // validated again on the way in
    String slack = TYPES.render(move, SurfaceFormat.MARKDOWN);
    // docs:end
    assertThat(read).isEqualTo(move);
    assertThat(TYPES.contentHash(read)).isEqualTo(hash);
    assertThat(stored)
        .isEqualTo(
            "{\"artifact\":{\"fromQueue\":\"billing\",\"reason\":\"asks for a refund <!channel>\","
                + "\"ticket\":\"SUP-42\",\"toQueue\":\"refunds\"},\"type\":\"acme.ticket-move\"}");
    assertThat(slack)
        .isEqualTo(
            """
        ### Move SUP-42 to refunds

        - 1 ticket moved

        - **Queue:** ~~billing~~\u00A0\\-&gt; **refunds**
        - **Reason:** asks for a refund &lt;!channel&gt;
        """);
  }

  @Test
  void aHostDefinedTypeIsValidatedWithItsOwnMessages() {
    assertThatThrownBy(() -> TYPES.contentHash(new TicketMove("42", "billing", "billing", "")))
        .isInstanceOf(ArtifactValidationException.class)
        .hasMessage(
            "Invalid 'acme.ticket-move' artifact: ticket must look like 'SUP-123' but was '42';"
                + " fromQueue and toQueue are both 'billing'; a move must change the queue");
  }

  @Test
  void renderingTheBuiltInTypes() {
    // docs:begin render
    ArtifactTypes types =
        ArtifactTypes.builder()
            .internalDomains("example.com") // others are flagged external
            .limits(ReviewLimits.builder().maxImagePixels(4_000_000).build())
            .imageDiffer(JdkImageDiffer.builder().threshold(24).antiAliasingTolerance(true).build())
            .build();
    CodeDiff diff =
        new CodeDiff(
            List.of(CodeDiff.FileChange.between("src/Greeter.java", "return 1;\n", "return 2;\n")));
    String terminal = types.render(diff, SurfaceFormat.TEXT);
    String github = types.render(diff, SurfaceFormat.MARKDOWN);
    String email = types.render(diff, SurfaceFormat.HTML);
    // docs:end
    assertThat(terminal).contains("- return [-1-];\n+ return {+2+};");
    assertThat(github).contains("`+` return **2**;");
    assertThat(email).contains("return <ins style=\"background:#d4f8d4\">2</ins>;");
  }

  @Test
  void everyJavaBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java", SOURCE);
    assertThat(DocsExamples.blocks(PAGE, "java")).hasSize(3);
  }
}
