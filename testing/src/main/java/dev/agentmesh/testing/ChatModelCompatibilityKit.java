package dev.agentmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.ToolDefinition;
import dev.agentmesh.core.spi.Usage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conformance kit of the {@link ChatModel} SPI: extend it in a test of your implementation and
 * implement two hooks; the kit's tests then check what the agent loop relies on.
 *
 * <pre>{@code
 * class MyModelCompatibilityTest extends ChatModelCompatibilityKit {
 *   @Override
 *   protected ChatModel modelAnswering(ChatResponse... answers) {
 *     // a model that answers the next calls with these responses, in order; an HTTP adapter
 *     // enqueues them on a MockWebServer in its provider's format
 *   }
 *
 *   @Override
 *   protected ChatModel modelFailingWith(ModelException.Kind kind) {
 *     // a model whose next call fails that way; an HTTP adapter enqueues the status or fault
 *   }
 * }
 * }</pre>
 *
 * <p>Checked: tool calls come back with their ids, names and argument JSON, several at once, and a
 * follow-up request carrying the tool results is accepted; structured output comes back as the JSON
 * text; usage is reported; failures carry their kind, retryability and the model's name, and never
 * the secret; the name holds no secret.
 *
 * <p>Models built by the hooks should not retry (or retry without sleeping), so each failure is
 * reported at once.
 */
public abstract class ChatModelCompatibilityKit {

  /** Shared by the kit's requests. */
  protected static final JsonMapper JSON = JsonMapper.builder().build();

  /** For subclasses, one per adapter under test. */
  protected ChatModelCompatibilityKit() {}

  /**
   * A model that answers its next calls with {@code answers}, in order. The answers carry text
   * and/or tool calls and usage; an HTTP adapter's test encodes them in its provider's format.
   *
   * @param answers the answers, in order
   * @return the model
   */
  protected abstract ChatModel modelAnswering(ChatResponse... answers);

  /**
   * A model whose next call fails with {@code kind}.
   *
   * @param kind the failure to produce
   * @return the model
   */
  protected abstract ChatModel modelFailingWith(ModelException.Kind kind);

  /**
   * The failure kinds {@link #modelFailingWith} can produce; default all.
   *
   * @return those kinds
   */
  protected Set<ModelException.Kind> producibleFailures() {
    return EnumSet.allOf(ModelException.Kind.class);
  }

  /**
   * The secret (API key) the models are built with, or {@code null} when there is none.
   *
   * @return the secret, or null
   */
  protected @Nullable String secret() {
    return null;
  }

  /**
   * Checks that the last request the model sent carried these tool results. The default does
   * nothing; an HTTP adapter's test reads its recorded request.
   *
   * @param toolResults the tool-result messages the request must carry
   */
  protected void assertLastRequestCarried(List<ChatMessage> toolResults) {}

  @Test
  @DisplayName(
      "tool calls come back with ids, names and argument JSON, several at once, and their results are accepted")
  void toolCallsRoundTrip() {
    ToolCall first =
        ToolCall.of("call_1", "lookupTier", json("{\"customer\":\"acme\",\"ids\":[1,2]}"));
    ToolCall second =
        ToolCall.of("call_2", "openTickets", json("{\"customer\":\"acme\",\"open\":true}"));
    ChatModel model =
        modelAnswering(
            ChatResponse.builder()
                .toolCalls(List.of(first, second))
                .usage(Usage.of(40, 12))
                .build(),
            ChatResponse.builder()
                .text("Gold tier, 2 open tickets.")
                .usage(Usage.of(90, 8))
                .build());

    ChatRequest ask = request().tools(tools()).build();
    ChatResponse calls = model.chat(ask);

    assertThat(calls.toolCalls()).hasSize(2);
    assertThat(calls.toolCalls()).extracting(ToolCall::id).containsExactly("call_1", "call_2");
    assertThat(calls.toolCalls())
        .extracting(ToolCall::name)
        .containsExactly("lookupTier", "openTickets");
    assertThat(calls.toolCalls().get(0).arguments()).isEqualTo(first.arguments());
    assertThat(calls.toolCalls().get(1).arguments()).isEqualTo(second.arguments());
    assertThat(calls.hasToolCalls()).isTrue();

    List<ChatMessage> results =
        List.of(
            ChatMessage.toolResult("call_1", "lookupTier", "{\"tier\":\"gold\"}", false),
            ChatMessage.toolResult("call_2", "openTickets", "{\"open\":2}", false));
    ChatRequest.Builder followUp = ask.toBuilder().addMessage(calls.toMessage());
    results.forEach(followUp::addMessage);
    ChatResponse answer = model.chat(followUp.build());

    assertThat(answer.text()).isEqualTo("Gold tier, 2 open tickets.");
    assertThat(answer.hasToolCalls()).isFalse();
    assertLastRequestCarried(results);
  }

  @Test
  @DisplayName("structured output comes back as the JSON text of the answer")
  void structuredOutput() {
    String output = "{\"priority\":\"high\",\"tags\":[\"billing\"]}";
    ChatModel model =
        modelAnswering(ChatResponse.builder().text(output).usage(Usage.of(30, 9)).build());

    ChatResponse response =
        model.chat(
            request()
                .outputSchema(
                    json(
                        "{\"type\":\"object\",\"properties\":{\"priority\":{\"type\":\"string\"},"
                            + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
                            + "\"required\":[\"priority\",\"tags\"],\"additionalProperties\":false}"))
                .outputName("triage")
                .build());

    assertThat(response.text()).isNotNull();
    assertThat(json(response.text())).isEqualTo(json(output));
  }

  @Test
  @DisplayName("usage is reported")
  void usageIsReported() {
    ChatModel model =
        modelAnswering(ChatResponse.builder().text("ok").usage(Usage.of(1234, 56)).build());

    Usage usage = model.chat(request().build()).usage();

    assertThat(usage.inputTokens()).isEqualTo(1234);
    assertThat(usage.outputTokens()).isEqualTo(56);
    assertThat(usage.totalTokens()).isEqualTo(1290);
  }

  @TestFactory
  @DisplayName("failures are classified with their kind and retryability, and name the model")
  Stream<DynamicTest> failuresAreClassified() {
    return producibleFailures().stream()
        .map(
            kind ->
                DynamicTest.dynamicTest(
                    kind.name(),
                    () -> {
                      ChatModel model = modelFailingWith(kind);

                      ModelException e =
                          catchThrowableOfType(
                              ModelException.class, () -> model.chat(request().build()));

                      assertThat(e).as("a ModelException for " + kind).isNotNull();
                      assertThat(e.kind()).isEqualTo(kind);
                      assertThat(e.isRetryable()).isEqualTo(kind.isRetryable());
                      assertThat(e.model()).isEqualTo(model.name());
                      assertThat(e.getMessage()).isNotBlank();
                      assertNoSecret(e.getMessage());
                    }));
  }

  @Test
  @DisplayName("the name is short and holds no secret")
  void nameHasNoSecret() {
    ChatModel model = modelAnswering(ChatResponse.ofText("ok"));

    assertThat(model.name()).isNotBlank().hasSizeLessThanOrEqualTo(100);
    assertNoSecret(model.name());
    assertNoSecret(model.toString());
  }

  /**
   * Fails when {@code text} contains the {@link #secret()}.
   *
   * @param text a name, message or log line the model produced
   */
  protected final void assertNoSecret(@Nullable String text) {
    String secret = secret();
    if (secret != null && text != null) {
      assertThat(text).doesNotContain(secret);
    }
  }

  /**
   * A request with a system and a user message.
   *
   * @return a builder holding those messages
   */
  protected static ChatRequest.Builder request() {
    return ChatRequest.builder()
        .addMessage(ChatMessage.system("You triage support tickets."))
        .addMessage(ChatMessage.user("ACME says their invoice is wrong."));
  }

  /**
   * The two tools the tool test offers.
   *
   * @return their definitions
   */
  protected static List<ToolDefinition> tools() {
    JsonNode params =
        json(
            "{\"type\":\"object\",\"properties\":{\"customer\":{\"type\":\"string\"}},"
                + "\"required\":[\"customer\"]}");
    return List.of(
        ToolDefinition.of("lookupTier", "Looks up a customer's support tier", params),
        ToolDefinition.of("openTickets", "Counts a customer's open tickets", params));
  }

  /**
   * Parses JSON text.
   *
   * @param text JSON
   * @return the parsed tree
   */
  protected static JsonNode json(String text) {
    return JSON.readTree(text);
  }
}
