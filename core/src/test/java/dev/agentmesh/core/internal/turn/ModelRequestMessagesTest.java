package dev.agentmesh.core.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model request shares the transcript's messages instead of copying them. */
class ModelRequestMessagesTest {

  private static final ChatMessage SYSTEM = ChatMessage.system("You triage tickets.");

  @Test
  void aRequestSharesTheTranscriptAfterItsSystemMessageAndLaterTurnsDoNotChangeIt() {
    Transcript first = Transcript.of(List.of(ChatMessage.user("hi")));
    ChatRequest request = ChatRequest.builder().messages(first.withFirst(SYSTEM)).build();
    first.append(ChatMessage.assistant("hello")); // a later step grows the shared backing

    assertThat(request.messages()).containsExactly(SYSTEM, ChatMessage.user("hi"));
    assertThat(request.messages()).isSameAs(request.toBuilder().build().messages());
    assertThat(request.messages())
        .isEqualTo(List.of(SYSTEM, ChatMessage.user("hi")))
        .hasSameHashCodeAs(List.of(SYSTEM, ChatMessage.user("hi")));
    assertThatThrownBy(() -> request.messages().add(ChatMessage.user("more")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void addingToASharedListCopiesItFirst() {
    Transcript transcript = Transcript.of(List.of(ChatMessage.user("hi")));
    List<ChatMessage> shared = transcript.withFirst(SYSTEM);

    ChatRequest longer =
        ChatRequest.builder().messages(shared).addMessage(ChatMessage.user("more")).build();

    assertThat(longer.messages())
        .containsExactly(SYSTEM, ChatMessage.user("hi"), ChatMessage.user("more"));
    assertThat(shared).containsExactly(SYSTEM, ChatMessage.user("hi"));
    assertThat(Transcript.isImmutable(shared)).isTrue();
    assertThat(Transcript.isImmutable(new java.util.ArrayList<>(shared))).isFalse();
  }
}
