package dev.agentmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** ScriptedModel passes the same kit as the real adapters, plus its own behaviour. */
class ScriptedModelTest extends ChatModelCompatibilityKit {

  @Override
  protected ChatModel modelAnswering(ChatResponse... answers) {
    return ScriptedModel.of(answers);
  }

  @Override
  protected ChatModel modelFailingWith(ModelException.Kind kind) {
    return ScriptedModel.builder().fail(kind).build();
  }

  static ChatRequest ask(String text) {
    return ChatRequest.builder().addMessage(ChatMessage.user(text)).build();
  }

  @Test
  void rulesAnswerEveryMatchingRequestBeforeTheScript() {
    ScriptedModel model =
        ScriptedModel.builder()
            .when(r -> r.lastUserText().contains("refund"), r -> ChatResponse.ofText("escalate"))
            .text("first")
            .build();

    assertThat(model.chat(ask("refund please")).text()).isEqualTo("escalate");
    assertThat(model.chat(ask("hello")).text()).isEqualTo("first");
    assertThat(model.chat(ask("another refund")).text()).isEqualTo("escalate");
    assertThat(model.requests()).hasSize(3);
  }

  @Test
  void aRequestNothingAnswersFailsSayingWhichItWas() {
    ScriptedModel model = ScriptedModel.builder().text("only").build();
    model.chat(ask("one"));

    assertThatThrownBy(() -> model.chat(ask("two")))
        .isInstanceOf(ModelException.class)
        .hasMessage(
            "ScriptedModel 'scripted' has no answer for request #2 (its script had 1 answers and no rule "
                + "matched). Add an answer with text(...), toolCall(...) or when(...).");
  }

  @Test
  void toolCallsGetSequentialIdsAndArgumentsThatAreNotJsonStayRaw() {
    ScriptedModel model =
        ScriptedModel.builder().toolCalls("a", "{\"x\":1}", "b", "{broken").build();

    ChatResponse response = model.chat(ask("go"));

    assertThat(response.toolCalls())
        .extracting(c -> c.id() + ":" + c.name() + ":" + c.arguments())
        .containsExactly("call_1:a:{\"x\":1}", "call_2:b:\"{broken\"");
    assertThatThrownBy(() -> ScriptedModel.builder().toolCalls("a"))
        .hasMessage("toolCalls takes pairs of tool name and arguments JSON but got 1 strings");
  }

  @Test
  void theFakeClockMovesOnlyWhenTold() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-01-05T09:00:00Z"));

    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-05T09:00:00Z"));
    assertThat(clock.advance(Duration.ofMinutes(5)))
        .isEqualTo(Instant.parse("2026-01-05T09:05:00Z"));
    assertThat(clock.withZone(java.time.ZoneId.of("Europe/Berlin")).instant())
        .isEqualTo(clock.instant());
  }
}
