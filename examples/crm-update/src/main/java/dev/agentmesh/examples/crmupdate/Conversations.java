package dev.agentmesh.examples.crmupdate;

import dev.agentmesh.examples.crmupdate.CrmUpdateApp.Conversation;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.RecordChange;
import dev.agentmesh.review.ReviewOutcome;
import dev.agentmesh.review.ReviewState;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Runs the demo's conversations one after another and prints what each rep sees. */
final class Conversations {

  private final Sessions sessions;
  private final Reviews reviews;
  private final List<String> refusals;
  private final Runnable notify;
  private final PrintStream out;
  private final List<Conversation> done = new ArrayList<>();
  private Runnable beforeDeciding = () -> {};

  /**
   * @param notify delivers the review requests due and returns once they are printed
   */
  Conversations(
      Sessions sessions, Reviews reviews, List<String> refusals, Runnable notify, PrintStream out) {
    this.sessions = sessions;
    this.reviews = reviews;
    this.refusals = refusals;
    this.notify = notify;
    this.out = out;
  }

  /** Runs once, between the next proposal and its decision. */
  void beforeDeciding(Runnable action) {
    this.beforeDeciding = action;
  }

  /**
   * The rep says something; the agent proposes; the rep decides (approving {@code edit}'s version
   * of the proposal: unchanged means approve as proposed).
   */
  Conversation converse(String rep, String said, UnaryOperator<RecordChange> edit) {
    out.println();
    out.println(rep + ": \"" + said + "\"");
    Session session =
        sessions
            .newSession("crm-update")
            .input(said)
            .origin(Origin.human(rep))
            .participant(rep, ParticipantRole.OWNER)
            .start();
    SessionState waiting = session.awaitIdle(CrmUpdateApp.TURN);
    List<ReviewState> pending = reviews.pending(session.id());
    if (pending.size() != 1)
      throw new IllegalStateException(
          "expected the agent to propose one record change in session "
              + session.id()
              + " but found "
              + pending.size()
              + " (session "
              + waiting.status()
              + (waiting.failure() == null ? "" : ": " + waiting.failure())
              + ")");
    ReviewState review = pending.get(0);
    RecordChange proposed = (RecordChange) review.artifact();
    out.println(
        "  crm-update proposes a change ("
            + waiting.status()
            + " for "
            + rep
            + "'s approval); the review request goes to Slack:");
    notify.run();
    RecordChange decided = edit.apply(proposed);
    Decision decision = decided.equals(proposed) ? Decision.approve() : Decision.edit(decided);
    if (decision instanceof Decision.Edit)
      for (RecordChange.FieldChange f : decided.changes())
        if (!proposed.changes().contains(f))
          out.println(
              "  " + rep + " edits " + f.field() + " to \"" + f.after() + "\" and approves");
    beforeDeciding.run();
    beforeDeciding = () -> {};
    int refusedBefore = refusals.size();
    ReviewOutcome outcome =
        reviews.decide(
            review.id(), review.hash(), CrmUpdateApp.TOKENS.getOrDefault(rep, ""), decision);
    String refusal = refusals.size() > refusedBefore ? refusals.get(refusals.size() - 1) : "";
    SessionState end = session.awaitIdle(CrmUpdateApp.TURN);
    out.println(
        "  "
            + rep
            + " "
            + (decision instanceof Decision.Edit ? "approved the edit" : "approved")
            + ": effect "
            + outcome.effect()
            + (refusal.isEmpty() ? "" : ", refused by the CRM: " + refusal)
            + "; session "
            + end.status());
    List<String> events = new ArrayList<>();
    for (LoggedEvent e : session.history()) events.add(e.event().type());
    Conversation c =
        new Conversation(rep, said, session.id(), proposed, decided, outcome, refusal, events);
    done.add(c);
    return c;
  }

  List<Conversation> done() {
    return List.copyOf(done);
  }
}
