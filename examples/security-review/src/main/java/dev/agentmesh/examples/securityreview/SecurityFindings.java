package dev.agentmesh.examples.securityreview;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.review.Anchor;
import dev.agentmesh.review.Comment;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.sessions.SessionState;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The host's glue between the security reviewer's answer and the review: each finding becomes a
 * comment anchored to the lines of the diff it names, recorded with {@link Reviews#comment} as the
 * agent's comments (never a decision). An anchor outside the diff is refused by the review runtime.
 */
final class SecurityFindings {

  static final String AGENT = "security-reviewer";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private SecurityFindings() {}

  /** The reviewer's last answer in {@code state} as comments anchored on the diff's lines. */
  static List<Comment> comments(SessionState state) {
    JsonNode answer = answer(state);
    List<Comment> comments = new ArrayList<>();
    for (JsonNode f : answer.path("findings")) {
      int line = f.path("line").asInt();
      int end = Math.max(line, f.path("endLine").asInt(line));
      String text = f.path("severity").asString() + ": " + f.path("text").asString();
      comments.add(
          new Comment(
              line == end
                  ? Anchor.line(f.path("file").asString(), line)
                  : Anchor.lines(f.path("file").asString(), line, end),
              text));
    }
    if (comments.isEmpty()) comments.add(Comment.general(summary(state)));
    return comments;
  }

  /** The reviewer's one-sentence summary. */
  static String summary(SessionState state) {
    return answer(state).path("summary").asString("(no summary)");
  }

  private static JsonNode answer(SessionState state) {
    List<ChatMessage> transcript = state.transcript();
    for (int i = transcript.size() - 1; i >= 0; i--) {
      if (transcript.get(i).role() == ChatMessage.Role.ASSISTANT) {
        return JSON.readTree(transcript.get(i).textOrEmpty());
      }
    }
    throw new IllegalStateException("the security reviewer has not answered");
  }
}
