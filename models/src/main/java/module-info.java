/**
 * ChatModel adapters for OpenAI-compatible servers and Anthropic.
 *
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder().apiKey(key).model("gpt-4.1-mini").build();
 * }</pre>
 */
module dev.agentmesh.models {
  requires transitive dev.agentmesh.core;
  requires transitive tools.jackson.databind;
  requires okhttp3;
  requires org.slf4j;
  requires static org.jspecify;

  exports dev.agentmesh.models;
}
