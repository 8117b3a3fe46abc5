package dev.agentmesh.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

  @ParameterizedTest
  @ValueSource(strings = {"triage", "Triage_2", "a-b", "x"})
  void outputNamesOfLettersDigitsUnderscoresAndDashesAreAccepted(String name) {
    assertThat(ChatRequest.builder().addMessage(ChatMessage.user("hi")).outputName(name).build().outputName()).isEqualTo(name);
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
    assertThatThrownBy(() -> ChatRequest.builder().build()).hasMessage("a ChatRequest needs at least one message");
    assertThat(ChatRequest.builder().addMessage(ChatMessage.user("secret prompt")).build().toString())
        .isEqualTo("ChatRequest{messages=1, tools=0, outputSchema=false, reasoning=NONE}");
  }
}
