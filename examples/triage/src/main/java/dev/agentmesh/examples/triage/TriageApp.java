package dev.agentmesh.examples.triage;

import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentResult;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.examples.triage.TriageMesh.Ticket;
import dev.agentmesh.examples.triage.TriageMesh.Triage;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.sessions.spi.SessionQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The ticket-triage example, in two parts:
 *
 * <ol>
 *   <li>the triage agent called statelessly on three tickets;
 *   <li>a durable session in the embedded SQLite store: two participants, one message answered by
 *       the security reviewer, then triage again. The file survives restarts and opens in any
 *       SQLite tool.
 *   <li>a reviewed step: the reply agent's e-mail to the customer is an {@code OutboundMessage}
 *       that waits for a support lead's approval (shown as its text surface, approved here in
 *       code), and is sent once approved.
 * </ol>
 *
 * <p>Runs offline with no key; see {@link TriageMesh#modelFrom} for a real model. The session
 * store's file is {@link #demoDb}: under Maven {@code examples/triage/target/agentmesh-demo.db}; a
 * re-run resumes it and says so.
 *
 * <pre>
 * ./mvnw -q -pl examples/triage -am package -DskipTests exec:java
 * </pre>
 */
public final class TriageApp {

  static final List<Ticket> TICKETS =
      List.of(
          new Ticket("acme", "Invoice charged twice this month"),
          new Ticket("initech", "Dashboard shows an error after login"),
          new Ticket("globex", "How do I add a colleague?"));

  static final Duration TURN = Duration.ofMinutes(2);

  private TriageApp() {}

  public static void main(String[] args) {
    run(System.getenv(), System.getProperties(), System.out);
  }

  /** The whole demo, with the environment and system properties it reads passed in. */
  static void run(
      java.util.Map<String, String> env, java.util.Properties properties, PrintStream out) {
    ChatModel model = TriageMesh.modelFrom(env, out);
    Path db = demoDb(properties, env);
    try (Mesh mesh = TriageMesh.create(model)) {
      triageTickets(mesh, out);
      runSession(mesh, db, out);
    }
  }

  /**
   * Where the demo keeps its sessions: the system property {@code agentmesh.demo.db}, else the
   * environment variable {@code AGENTMESH_DEMO_DB}, else {@code agentmesh-demo/agentmesh-demo.db}
   * in the temporary directory. Run through Maven ({@code exec:java}) the property is {@code
   * examples/triage/target/agentmesh-demo.db}, so {@code clean} starts afresh.
   */
  static Path demoDb(java.util.Properties properties, java.util.Map<String, String> env) {
    String configured = properties.getProperty("agentmesh.demo.db", env.get("AGENTMESH_DEMO_DB"));
    if (configured != null && !configured.isBlank()) return Path.of(configured);
    return Path.of(properties.getProperty("java.io.tmpdir"), "agentmesh-demo", "agentmesh-demo.db");
  }

  /** Part 1: stateless calls. */
  static void triageTickets(Mesh mesh, PrintStream out) {
    out.println("Agent: triage " + mesh.agent("triage").spec().fingerprint());
    for (Ticket ticket : TICKETS) {
      AgentResult result =
          mesh.agent("triage")
              .call(AgentRequest.builder(ticket).context("company", "Example Co").build());
      Triage triage = result.as(Triage.class);
      out.printf(
          "  %-8s %-40s -> %-6s %-11s (%d turns, %d tokens) %s%n",
          ticket.customer(),
          "\"" + ticket.subject() + "\"",
          triage.priority(),
          triage.team(),
          result.turns(),
          result.usage().totalTokens(),
          triage.reasoning());
    }
  }

  /** Part 2: a durable, two-participant session in a SQLite file. */
  static SessionState runSession(Mesh mesh, Path db, PrintStream out) {
    boolean existed = Files.exists(db);
    createParent(db);
    try (SqliteSessionStore store = SqliteSessionStore.create(db);
        Reviews reviews = ReviewedReply.reviews(mesh, store, out);
        Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build()) {
      int earlier = sessions.query(SessionQuery.builder().limit(1000).build()).sessions().size();
      out.println();
      out.println("Session store: " + db.toAbsolutePath());
      out.println(
          existed
              ? "  resuming it: "
                  + earlier
                  + " sessions from earlier runs stay (delete the file to start clean)"
              : "  a new file (set -Dagentmesh.demo.db or AGENTMESH_DEMO_DB to keep it elsewhere)");

      Session session =
          sessions
              .newSession("triage")
              .input(new Ticket("umbrella", "Checkout page is down, customer sent a login link"))
              .origin(Origin.human("ana"))
              .participant("ana", ParticipantRole.OWNER)
              .participant("bo", ParticipantRole.MEMBER)
              .start();
      session.awaitFinished(TURN);
      session.postTo(
          "bo",
          "security-reviewer",
          "The customer sent a link to log in to their admin panel. Safe to open?");
      session.awaitFinished(TURN);
      session.post("ana", "Thanks. Please confirm the priority for the on-call team.");
      SessionState state = session.awaitFinished(TURN);

      out.println(
          "Session "
              + state.id()
              + ": "
              + state.status()
              + ", "
              + state.version()
              + " events, participants "
              + state.participants().keySet().stream().sorted().toList());
      for (ChatMessage m : state.transcript()) {
        out.println("  " + who(m) + ": " + oneLine(m));
      }
      out.println(
          "Inspect it: sqlite3 "
              + db
              + " \"select version, type from agentmesh_events where session_id = '"
              + state.id()
              + "' order by version\"");
      ReviewedReply.run(sessions, reviews, out);
      return state;
    }
  }

  private static void createParent(Path db) {
    Path parent = db.toAbsolutePath().getParent();
    try {
      if (parent != null) Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the directory of the demo's session store "
              + db
              + "; set -Dagentmesh.demo.db to a writable path",
          e);
    }
  }

  private static String who(ChatMessage m) {
    switch (m.role()) {
      case USER:
        return m.author() != null ? m.author() : "input";
      case TOOL:
        return "tool " + m.toolName();
      default:
        return m.role().name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static String oneLine(ChatMessage m) {
    String text = m.text() != null ? m.text() : "";
    if (!m.toolCalls().isEmpty())
      text =
          (text.isEmpty() ? "" : text + " ")
              + "calls "
              + m.toolCalls().get(0).name()
              + " "
              + m.toolCalls().get(0).arguments();
    text = text.replace('\n', ' ');
    return text.length() > 110 ? text.substring(0, 110) + "..." : text;
  }
}
