package dev.agentmesh.review.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.review.ArtifactTypes;
import dev.agentmesh.review.ContentHash;
import dev.agentmesh.review.Document;
import dev.agentmesh.review.notify.kit.NotifierCompatibilityKit;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SlackNotifierTest {

  static final String HOSTILE =
      "<!channel> <@U123> <https://evil.example.com|click here> & *bold* &lt;";

  @StartStop final MockWebServer server = new MockWebServer();

  Notification requested(String title, RenderedSurfaces surfaces) {
    return Notification.builder(Notification.Kind.REVIEW_REQUESTED, "req-7")
        .title(title)
        .recipient(Recipient.channel("#releases"))
        .surfaces(surfaces)
        .link(Notification.LinkRel.OPEN, URI.create("https://review.example.com/a/7"))
        .provenance(
            new Provenance(
                "art-7", new ContentHash("ab".repeat(32)), "sess-3", "release-notes", "high"))
        .build();
  }

  static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isObject() && node.path("text").isString()) {
      out.add(node.path("text").asString());
    }
    node.forEach(child -> out.addAll(texts(child)));
    return out;
  }

  @Test
  void aReviewRequestBecomesBlockKitWithApproveRejectAndOpenButtons() {
    JsonNode message =
        Http.MAPPER.readTree(
            SlackNotifier.message(
                requested(
                    "Release notes need review",
                    new RenderedSurfaces("t", "*2 sections changed*", "<p>h</p>"))));

    JsonNode blocks = message.path("blocks");
    assertThat(message.path("text").asString()).isEqualTo("Release notes need review");
    assertThat(blocks.path(0).path("text").path("text").asString())
        .isEqualTo("*Release notes need review*");
    assertThat(blocks.path(1).path("text").path("text").asString())
        .isEqualTo("*2 sections changed*");
    JsonNode buttons = blocks.path(2).path("elements");
    assertThat(buttons.path(0).path("action_id").asString()).isEqualTo("agentmesh.approve");
    assertThat(buttons.path(0).path("value").asString())
        .isEqualTo("art-7 sha256:" + "ab".repeat(32));
    assertThat(buttons.path(1).path("action_id").asString()).isEqualTo("agentmesh.reject");
    assertThat(buttons.path(2).path("url").asString()).isEqualTo("https://review.example.com/a/7");
    assertThat(blocks.path(3).path("type").asString()).isEqualTo("context");
  }

  @Test
  void mentionsAndLinksInTitlesAndSurfacesAreInert() {
    JsonNode message =
        Http.MAPPER.readTree(
            SlackNotifier.message(
                requested(HOSTILE, new RenderedSurfaces("t", HOSTILE, "<p>h</p>"))));

    List<String> texts = texts(message);
    assertThat(texts)
        .isNotEmpty()
        .allSatisfy(text -> assertThat(text).doesNotContain("<").doesNotContain(">"));
    assertThat(message.path("blocks").path(1).path("text").path("text").asString())
        .isEqualTo(
            "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example.com|click here&gt; &amp; *bold* &lt;");
  }

  @Test
  void theReviewModulesMarkdownSurfaceIsNotEscapedTwice() {
    Document doc =
        new Document("notes", Document.Format.MARKDOWN, "Hello", "Hello <!channel> & world");
    ArtifactTypes types = ArtifactTypes.standard();
    RenderedSurfaces surfaces = RenderedSurfaces.of(types, doc);

    String section =
        Http.MAPPER
            .readTree(SlackNotifier.message(requested("t", surfaces)))
            .path("blocks")
            .path(1)
            .path("text")
            .path("text")
            .asString();

    assertThat(section)
        .contains("&lt;!channel&gt;")
        .doesNotContain("&amp;lt;")
        .doesNotContain("<!channel>");
  }

  @Test
  void onlyReviewRequestsWithAHashGetDecisionButtons() {
    Notification decided =
        Notification.builder(Notification.Kind.DECIDED, "d-1")
            .title("Approved")
            .provenance(new Provenance("art-7", new ContentHash("ab".repeat(32)), null, null, null))
            .build();

    String message = SlackNotifier.message(decided);

    assertThat(message).doesNotContain("agentmesh.approve").doesNotContain("agentmesh.reject");
  }

  @Test
  void failuresNeverShowTheWebhookPathWhichIsASecret() {
    server.enqueue(new MockResponse.Builder().code(500).build());
    SlackNotifier slack =
        SlackNotifier.builder(server.url("/services/T000/B000/XXXXsecretXXXX").uri()).build();

    assertThatThrownBy(() -> slack.deliver(requested("t", new RenderedSurfaces("t", "m", "h"))))
        .hasMessage(
            "Slack incoming webhook http://"
                + server.getHostName()
                + ":"
                + server.getPort()
                + "/... answered HTTP 500; expected 2xx (will retry)");
    assertThat(slack.toString()).doesNotContain("XXXXsecretXXXX");
  }

  @Nested
  class Compatibility extends NotifierCompatibilityKit {
    volatile boolean broken;
    final List<String> seen = new ArrayList<>();

    @Override
    protected Notifier notifier() {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse.Builder()
                  .code(broken ? 404 : 200)
                  .body(broken ? "no_service" : "ok")
                  .build();
            }
          });
      return SlackNotifier.builder(server.url("/services/T000/B000/XXXXsecretXXXX").uri()).build();
    }

    @Override
    protected List<String> received() throws Exception {
      int count = server.getRequestCount() - seen.size();
      for (int i = 0; i < count; i++) {
        seen.add(server.takeRequest().getBody().utf8());
      }
      return List.copyOf(seen);
    }

    @Override
    protected void breakChannel() {
      broken = true;
    }

    @Override
    protected List<String> secrets() {
      return List.of("XXXXsecretXXXX");
    }
  }
}
