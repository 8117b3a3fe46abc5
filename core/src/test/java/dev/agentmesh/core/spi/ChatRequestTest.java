package dev.agentmesh.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatRequestTest {

  @ParameterizedTest
  @ValueSource(strings = {"triage", "Triage_2", "a-b", "x"})
  void outputNamesOfLettersDigitsUnderscoresAndDashesAreAccepted(String name) {
    assertThat(
            ChatRequest.builder()
                .addMessage(ChatMessage.user("hi"))
                .outputName(name)
                .build()
                .outputName())
        .isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "dot.ted", "ümlaut"})
  void otherOutputNamesAreRefusedNamingTheSetting(String name) {
    assertThatThrownBy(() -> ChatRequest.builder().outputName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outputName must be 1 to 64 of [A-Za-z0-9_-] but was '" + name + "'");
  }

  @Test
  void aRequestNeedsAMessageAndNeverPrintsItsPrompt() {
    assertThatThrownBy(() -> ChatRequest.builder().build())
        .hasMessage("a ChatRequest needs at least one message");
    assertThat(
            ChatRequest.builder().addMessage(ChatMessage.user("secret prompt")).build().toString())
        .isEqualTo("ChatRequest{messages=1, tools=0, outputSchema=false, reasoning=NONE}");
  }

  @Test
  void theTimeoutIsOptionalNeverNegativeAndKeptByToBuilder() {
    ChatRequest none = ChatRequest.builder().addMessage(ChatMessage.user("hi")).build();
    ChatRequest timed = none.toBuilder().timeout(java.time.Duration.ofMillis(1500)).build();

    assertThat(none.timeout()).isNull();
    assertThat(timed.toBuilder().build().timeout()).isEqualTo(java.time.Duration.ofMillis(1500));
    assertThat(timed.toString())
        .isEqualTo(
            "ChatRequest{messages=1, tools=0, outputSchema=false, reasoning=NONE, timeout=1500ms}");
    assertThatThrownBy(() -> ChatRequest.builder().timeout(java.time.Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must not be negative but was PT-0.001S");
  }

  @Test
  void aModelDoesNotClaimToHonourTheTimeoutUnlessItSaysSo() {
    ChatModel model = request -> ChatResponse.ofText("x");
    assertThat(model.honoursTimeout()).isFalse();
  }

  @Test
  void aBuilderBuiltFromAgainLeavesTheRequestsItBuiltAsTheyWere() {
    ChatRequest.Builder builder =
        ChatRequest.builder().addMessage(ChatMessage.user("hi")).metadata("agent", "triage");
    ChatRequest first = builder.build();

    ChatRequest second = builder.metadata("runId", "r2").metadata("agent", "other").build();

    assertThat(first.metadata()).containsExactly(java.util.Map.entry("agent", "triage"));
    assertThat(second.metadata())
        .containsExactly(java.util.Map.entry("agent", "other"), java.util.Map.entry("runId", "r2"));
    assertThatThrownBy(() -> second.metadata().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
