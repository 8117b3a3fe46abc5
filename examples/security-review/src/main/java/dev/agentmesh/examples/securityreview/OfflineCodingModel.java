package dev.agentmesh.examples.securityreview;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.Usage;
import dev.agentmesh.review.CodeDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The example's scripted model: it behaves the way a model following the two agents' instructions
 * would, so the example runs with no key and no server.
 *
 * <ul>
 *   <li>{@code coder}: its first answer adds a {@code login} method with three security problems;
 *       any later answer is the same change with them fixed.
 *   <li>{@code security-reviewer}: reads the last diff in the conversation and reports each added
 *       line that logs a password, builds SQL by concatenation or hashes with MD5, at its line of
 *       the file's new version (counted from the hunk headers, as a reviewer would).
 * </ul>
 */
final class OfflineCodingModel implements ChatModel {

  static final String PATH = "src/main/java/com/example/auth/LoginController.java";

  static final String BEFORE =
      """
      package com.example.auth;

      import java.sql.Connection;
      import org.slf4j.Logger;
      import org.slf4j.LoggerFactory;

      /** Signs users in. */
      public final class LoginController {

        private static final Logger log = LoggerFactory.getLogger(LoginController.class);
        private final Connection db;

        public LoginController(Connection db) {
          this.db = db;
        }
      }
      """;

  static final String FIRST_DRAFT =
      """
      package com.example.auth;

      import java.security.MessageDigest;
      import java.sql.Connection;
      import java.sql.ResultSet;
      import java.util.HexFormat;
      import org.slf4j.Logger;
      import org.slf4j.LoggerFactory;

      /** Signs users in. */
      public final class LoginController {

        private static final Logger log = LoggerFactory.getLogger(LoginController.class);
        private final Connection db;

        public LoginController(Connection db) {
          this.db = db;
        }

        /** True when the password matches the user's stored hash. */
        public boolean login(String user, String password) throws Exception {
          log.info("login attempt user={} password={}", user, password);
          String sql = "SELECT hash FROM users WHERE name = '" + user + "'";
          try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(password.getBytes());
            return rs.next() && rs.getString(1).equals(HexFormat.of().formatHex(md5));
          }
        }
      }
      """;

  static final String FIXED =
      """
      package com.example.auth;

      import java.sql.Connection;
      import java.sql.PreparedStatement;
      import java.sql.ResultSet;
      import org.slf4j.Logger;
      import org.slf4j.LoggerFactory;

      /** Signs users in. */
      public final class LoginController {

        private static final Logger log = LoggerFactory.getLogger(LoginController.class);
        private final Connection db;
        private final PasswordHashes hashes;

        public LoginController(Connection db, PasswordHashes hashes) {
          this.db = db;
          this.hashes = hashes;
        }

        /** True when the password matches the user's stored hash. */
        public boolean login(String user, String password) throws Exception {
          log.info("login attempt user={}", user);
          try (PreparedStatement query = db.prepareStatement("SELECT hash FROM users WHERE name = ?")) {
            query.setString(1, user);
            try (ResultSet rs = query.executeQuery()) {
              return rs.next() && hashes.matches(password, rs.getString(1)); // Argon2id
            }
          }
        }
      }
      """;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@");

  /** What the reviewer looks for in an added line, and what it says about it. */
  private record Rule(Pattern pattern, String severity, String text) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              Pattern.compile("log\\.\\w+\\(.*password", Pattern.CASE_INSENSITIVE),
              "high",
              "The password is written to the log. Log the user name only."),
          new Rule(
              Pattern.compile("\"SELECT .*'\"\\s*\\+"),
              "critical",
              "SQL built by concatenating the user name: injection. Use a PreparedStatement"
                  + " with a ? parameter."),
          new Rule(
              Pattern.compile("getInstance\\(\"MD5\"\\)"),
              "high",
              "Unsalted MD5 is not a password hash. Verify with a slow salted hash such as"
                  + " Argon2id or bcrypt, compared in constant time."));

  @Override
  public ChatResponse chat(ChatRequest request) {
    String agent = request.metadata().getOrDefault("agent", "");
    String answer = agent.equals("security-reviewer") ? findings(request) : diff(request);
    return ChatResponse.builder()
        .text(answer)
        .usage(Usage.of(request.toString().length() / 4, answer.length() / 4))
        .modelId(name())
        .build();
  }

  @Override
  public String name() {
    return "offline-coding-model";
  }

  /** The coder: the first draft on its first turn, the fixed change on any later one. */
  private static String diff(ChatRequest request) {
    boolean answeredBefore =
        request.messages().stream().anyMatch(m -> m.role() == ChatMessage.Role.ASSISTANT);
    String after = answeredBefore ? FIXED : FIRST_DRAFT;
    return JSON.writeValueAsString(
        new CodeDiff(List.of(CodeDiff.FileChange.between(PATH, BEFORE, after))));
  }

  /** The reviewer: one finding per added line that matches a rule, at its new line number. */
  private static String findings(ChatRequest request) {
    JsonNode diff = lastDiff(request.messages());
    ArrayNode found = JSON.createArrayNode();
    for (JsonNode file : diff.path("files")) {
      for (Finding f : scan(file.path("patch").asString(""))) {
        ObjectNode finding = found.addObject();
        finding.put("file", file.path("path").asString());
        finding.put("line", f.line());
        finding.put("severity", f.rule().severity());
        finding.put("text", f.rule().text());
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.put(
        "summary",
        found.isEmpty()
            ? "No security problems in the proposed diff."
            : found.size() + " security problems in the proposed diff; do not merge it as is.");
    out.set("findings", found);
    return JSON.writeValueAsString(out);
  }

  private record Finding(int line, Rule rule) {}

  private static List<Finding> scan(String patch) {
    List<Finding> found = new ArrayList<>();
    int line = 0;
    for (String text : patch.split("\n", -1)) {
      Matcher hunk = HUNK.matcher(text);
      if (hunk.find()) {
        line = Integer.parseInt(hunk.group(1));
      } else if (text.startsWith("+") && !text.startsWith("+++")) {
        for (Rule rule : RULES) {
          if (rule.pattern().matcher(text).find()) found.add(new Finding(line, rule));
        }
        line++;
      } else if (text.startsWith(" ")) {
        line++;
      }
    }
    return found;
  }

  /** The coder's latest answer in the conversation: its diff as JSON. */
  private static JsonNode lastDiff(List<ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      ChatMessage m = messages.get(i);
      if (m.role() == ChatMessage.Role.ASSISTANT && m.textOrEmpty().contains("\"files\"")) {
        return JSON.readTree(m.textOrEmpty());
      }
    }
    return JSON.createObjectNode();
  }
}
