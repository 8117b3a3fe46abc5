package dev.agentmesh.examples.prioritylist;

import dev.agentmesh.examples.prioritylist.PriorityList.Contribution;
import dev.agentmesh.examples.prioritylist.PriorityList.Escalation;
import dev.agentmesh.examples.prioritylist.PriorityList.Item;
import dev.agentmesh.examples.prioritylist.PriorityList.RepList;
import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.review.notify.Notifier;
import dev.agentmesh.review.notify.Provenance;
import dev.agentmesh.review.notify.Recipient;
import dev.agentmesh.review.notify.RenderedSurfaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Delivers a finished priority list to people: one {@link Notification.Kind#OUTPUT_DELIVERED}
 * notification per rep (the rep's ranked accounts, each with every rule's contribution) and one per
 * escalation, addressed to the rep's manager. Each notification's id is made from the session id
 * and the rep or ticket, so a retry is recognisably the same message.
 *
 * <pre>{@code
 * PriorityDelivery delivery = PriorityDelivery.to(deliveries); // Deliveries with a SlackNotifier
 * int sent = delivery.deliver(state.id(), state.output(PriorityList.class));
 * }</pre>
 */
public final class PriorityDelivery {

  private final Notifier notifier;

  private PriorityDelivery(Notifier notifier) {
    this.notifier = Objects.requireNonNull(notifier, "notifier");
  }

  /**
   * Delivers through {@code notifier}; pass a {@code Deliveries}, the guard that retries a failing
   * channel and never throws.
   *
   * @param notifier where the notifications go
   * @return the delivery
   */
  public static PriorityDelivery to(Notifier notifier) {
    return new PriorityDelivery(notifier);
  }

  /**
   * Delivers {@code list}, made in session {@code sessionId}.
   *
   * @param sessionId the session that made the list
   * @param list the list
   * @return how many notifications were handed over
   */
  public int deliver(String sessionId, PriorityList list) {
    List<Notification> notifications = notifications(sessionId, list);
    notifications.forEach(notifier::deliver);
    return notifications.size();
  }

  /**
   * The notifications for {@code list}: per rep, then per escalation.
   *
   * @param sessionId the session that made the list
   * @param list the list
   * @return the notifications, in delivery order
   */
  public static List<Notification> notifications(String sessionId, PriorityList list) {
    Provenance from = new Provenance(null, null, sessionId, PriorityMesh.AGENT, null);
    List<Notification> out = new ArrayList<>();
    for (RepList rep : list.lists()) {
      out.add(
          Notification.builder(Notification.Kind.OUTPUT_DELIVERED, sessionId + ":list:" + rep.rep())
              .title("Today's priorities for " + rep.repName() + " (" + list.date() + ")")
              .recipient(Recipient.reviewer(rep.rep()))
              .surfaces(surfaces(listText(rep)))
              .provenance(from)
              .build());
    }
    for (RepList rep : list.lists()) {
      for (Escalation e : rep.escalations()) {
        out.add(
            Notification.builder(
                    Notification.Kind.OUTPUT_DELIVERED, sessionId + ":escalation:" + e.ticket())
                .title(
                    "Escalation for manager "
                        + e.manager()
                        + ": "
                        + e.name()
                        + ", urgent ticket "
                        + e.ticket()
                        + " open "
                        + e.daysOpen()
                        + " days without a response")
                .recipient(Recipient.reviewer(e.manager()))
                .surfaces(surfaces(escalationText(rep, e)))
                .provenance(from)
                .build());
      }
    }
    return out;
  }

  /**
   * A rep's list as Slack-style Markdown: one line per account with its score, then every rule's
   * contribution, then the last call note.
   *
   * @param rep the rep's list
   * @return the text
   */
  static String listText(RepList rep) {
    StringBuilder text = new StringBuilder();
    for (Item item : rep.items()) {
      text.append(
          String.format(
              Locale.ROOT, "*%d. %s*  %d points\n", item.rank(), item.name(), item.score()));
      List<String> why = new ArrayList<>();
      for (Contribution c : item.contributions())
        why.add(String.format(Locale.ROOT, "%s %+d (%s)", c.rule(), c.points(), c.reason()));
      text.append("    ").append(String.join(", ", why)).append('\n');
      if (!item.lastNote().isEmpty())
        text.append("    _last call ").append(item.lastNote()).append("_\n");
    }
    if (!rep.escalations().isEmpty())
      text.append("Escalated to ")
          .append(rep.manager())
          .append(": ")
          .append(String.join(", ", rep.escalations().stream().map(Escalation::name).toList()))
          .append('\n');
    return text.toString().stripTrailing();
  }

  private static String escalationText(RepList rep, Escalation e) {
    return "*"
        + e.name()
        + "* (owned by "
        + rep.repName()
        + "): ticket "
        + e.ticket()
        + " \""
        + e.subject()
        + "\"\n"
        + e.reason();
  }

  private static RenderedSurfaces surfaces(String markdown) {
    String plain = markdown.replace("*", "").replace("_", "");
    return new RenderedSurfaces(plain, markdown, "<pre>" + escapeHtml(plain) + "</pre>");
  }

  private static String escapeHtml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
