package dev.agentmesh.examples.prioritylist;

import dev.agentmesh.examples.prioritylist.AccountFacts.OpenTicket;
import dev.agentmesh.examples.prioritylist.PriorityList.Contribution;
import dev.agentmesh.examples.prioritylist.PriorityList.Escalation;
import dev.agentmesh.examples.prioritylist.PriorityList.Item;
import dev.agentmesh.examples.prioritylist.PriorityList.RepList;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ranking, as plain Java a rep can read: five weighted rules (last touch, account tier,
 * revenue, onboarding status, open tickets), each adding points with a reason, summed into a score;
 * and one escalation rule. No model decides the order: the agent's tool calls these rules and the
 * list carries every rule's contribution, so the top of the list explains itself.
 *
 * <pre>{@code
 * RepList list = PriorityRules.defaults().rank(rep, accounts, LocalDate.parse("2026-12-01"));
 * list.items().get(0).contributions(); // [last-touch +24, tier +20, revenue +18, ...]
 * }</pre>
 */
public final class PriorityRules {

  /** One weighted rule: what it adds to an account's score today, and why. */
  public interface Rule {
    /** {@return the rule's name, as items show it} */
    String name();

    /**
     * What this rule adds for {@code account} on {@code today}.
     *
     * @param account the account's facts
     * @param today the day the list is for
     * @return the points and the reason
     */
    Contribution apply(AccountFacts account, LocalDate today);
  }

  /**
   * The weights of the five rules.
   *
   * @param pointsPerDayUntouched points per day since the last touch
   * @param maxLastTouchPoints the most the last touch can add
   * @param tierPoints points per account tier; an unknown tier adds 0
   * @param revenuePerPoint the annual revenue that earns one point
   * @param maxRevenuePoints the most revenue can add
   * @param onboardingPoints points per onboarding status; an unknown status adds 0
   * @param pointsPerUrgentTicket points per open urgent ticket
   * @param pointsPerOtherTicket points per other open ticket
   */
  public record Weights(
      int pointsPerDayUntouched,
      int maxLastTouchPoints,
      Map<String, Integer> tierPoints,
      long revenuePerPoint,
      int maxRevenuePoints,
      Map<String, Integer> onboardingPoints,
      int pointsPerUrgentTicket,
      int pointsPerOtherTicket) {

    /** The example's weights. */
    public static final Weights DEFAULT =
        new Weights(
            1,
            30,
            Map.of("enterprise", 25, "mid-market", 12, "smb", 0),
            500_000,
            25,
            Map.of("stalled", 25, "in_progress", 15, "not_started", 10, "complete", 0),
            10,
            3);

    /**
     * Copies the maps.
     *
     * @param pointsPerDayUntouched points per day since the last touch
     * @param maxLastTouchPoints the most the last touch can add
     * @param tierPoints points per account tier; an unknown tier adds 0
     * @param revenuePerPoint the annual revenue that earns one point
     * @param maxRevenuePoints the most revenue can add
     * @param onboardingPoints points per onboarding status; an unknown status adds 0
     * @param pointsPerUrgentTicket points per open urgent ticket
     * @param pointsPerOtherTicket points per other open ticket
     */
    public Weights {
      if (revenuePerPoint <= 0)
        throw new IllegalArgumentException(
            "revenuePerPoint must be positive but was " + revenuePerPoint);
      tierPoints = Map.copyOf(tierPoints);
      onboardingPoints = Map.copyOf(onboardingPoints);
    }
  }

  /**
   * Escalates a high-value account with an urgent ticket open at least {@code minDaysOpen} days and
   * no response yet: it goes to the rep's manager.
   *
   * @param minAnnualRevenue the revenue from which an account is high-value
   * @param priority the ticket priority that counts ({@code urgent})
   * @param minDaysOpen how long the ticket has been open without a response
   */
  public record EscalationRule(long minAnnualRevenue, String priority, int minDaysOpen) {

    /**
     * A high-value account pays 1,000,000 a year or more; an urgent ticket, ten days unanswered.
     */
    public static final EscalationRule DEFAULT = new EscalationRule(1_000_000, "urgent", 10);

    /**
     * The escalation for {@code account} today, if the rule holds: its longest-waiting matching
     * ticket.
     *
     * @param account the account's facts
     * @param today the day the list is for
     * @param manager who the escalation goes to
     * @return the escalation, or empty
     */
    public Optional<Escalation> check(AccountFacts account, LocalDate today, String manager) {
      if (account.annualRevenue() < minAnnualRevenue) return Optional.empty();
      return account.openTickets().stream()
          .filter(t -> t.priority().equalsIgnoreCase(priority) && !t.answered())
          .filter(t -> daysBetween(t.opened(), today) >= minDaysOpen)
          .min(Comparator.comparing(OpenTicket::opened).thenComparing(OpenTicket::id))
          .map(t -> escalation(account, t, today, manager));
    }

    private Escalation escalation(
        AccountFacts account, OpenTicket t, LocalDate today, String manager) {
      int days = daysBetween(t.opened(), today);
      String reason =
          String.format(
              Locale.ROOT,
              "%s pays $%,d a year (high-value from $%,d); %s ticket %s has been open %d days"
                  + " (since %s) with no response (escalated from %d)",
              account.name(),
              account.annualRevenue(),
              minAnnualRevenue,
              priority,
              t.id(),
              days,
              t.opened(),
              minDaysOpen);
      return new Escalation(
          account.id(), account.name(), t.id(), t.subject(), days, manager, reason);
    }
  }

  private final List<Rule> rules;
  private final EscalationRule escalation;

  private PriorityRules(List<Rule> rules, EscalationRule escalation) {
    this.rules = List.copyOf(rules);
    this.escalation = Objects.requireNonNull(escalation, "escalation");
  }

  /** {@return the example's rules: {@link Weights#DEFAULT} and {@link EscalationRule#DEFAULT}} */
  public static PriorityRules defaults() {
    return of(Weights.DEFAULT, EscalationRule.DEFAULT);
  }

  /**
   * The five rules with these weights, and this escalation rule.
   *
   * @param w the weights
   * @param escalation the escalation rule
   * @return the rules
   */
  public static PriorityRules of(Weights w, EscalationRule escalation) {
    return new PriorityRules(
        List.of(lastTouch(w), tier(w), revenue(w), onboarding(w), openTickets(w)), escalation);
  }

  /** {@return the weighted rules, in the order items list their contributions} */
  public List<Rule> rules() {
    return rules;
  }

  /**
   * Ranks a rep's accounts: highest score first; ties go to the higher revenue, then the account
   * id, so the same facts always give the same list.
   *
   * @param rep the rep
   * @param accounts the accounts the rep owns
   * @param today the day the list is for
   * @return the rep's list with its escalations
   */
  public RepList rank(Rep rep, List<AccountFacts> accounts, LocalDate today) {
    List<AccountFacts> ordered = new ArrayList<>(accounts);
    ordered.sort(
        Comparator.comparingInt((AccountFacts a) -> -score(a, today))
            .thenComparing(Comparator.comparingLong(AccountFacts::annualRevenue).reversed())
            .thenComparing(AccountFacts::id));
    List<Item> items = new ArrayList<>();
    List<Escalation> escalations = new ArrayList<>();
    for (AccountFacts account : ordered) {
      List<Contribution> contributions = contributions(account, today);
      int score = contributions.stream().mapToInt(Contribution::points).sum();
      items.add(
          new Item(
              items.size() + 1,
              account.id(),
              account.name(),
              score,
              contributions,
              lastNote(account)));
      escalation.check(account, today, rep.manager()).ifPresent(escalations::add);
    }
    return new RepList(rep.id(), rep.name(), rep.manager(), items, escalations);
  }

  /**
   * What every rule adds for {@code account} today, in the rules' order.
   *
   * @param account the account's facts
   * @param today the day the list is for
   * @return one contribution per rule
   */
  public List<Contribution> contributions(AccountFacts account, LocalDate today) {
    return rules.stream().map(r -> r.apply(account, today)).toList();
  }

  private int score(AccountFacts account, LocalDate today) {
    return contributions(account, today).stream().mapToInt(Contribution::points).sum();
  }

  /**
   * A sales rep and the manager who gets the rep's escalations.
   *
   * @param id the CRM's owner id
   * @param name the rep's name
   * @param manager the manager's id
   */
  public record Rep(String id, String name, String manager) {}

  private static Rule rule(
      String name, java.util.function.BiFunction<AccountFacts, LocalDate, Contribution> f) {
    return new Rule() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Contribution apply(AccountFacts account, LocalDate today) {
        return f.apply(account, today);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static Rule lastTouch(Weights w) {
    return rule(
        "last-touch",
        (a, today) -> {
          int days = Math.max(0, daysBetween(a.lastTouch(), today));
          int points =
              (int) Math.min((long) days * w.pointsPerDayUntouched(), w.maxLastTouchPoints());
          String reason =
              days == 0
                  ? "touched today"
                  : "last touched "
                      + days
                      + (days == 1 ? " day" : " days")
                      + " ago ("
                      + a.lastTouch()
                      + ")";
          return new Contribution("last-touch", points, reason);
        });
  }

  private static Rule tier(Weights w) {
    return rule(
        "tier",
        (a, today) ->
            new Contribution("tier", w.tierPoints().getOrDefault(a.tier(), 0), a.tier() + " tier"));
  }

  private static Rule revenue(Weights w) {
    return rule(
        "revenue",
        (a, today) -> {
          long points = Math.min(a.annualRevenue() / w.revenuePerPoint(), w.maxRevenuePoints());
          return new Contribution(
              "revenue",
              (int) Math.max(0, points),
              String.format(Locale.ROOT, "$%,d a year", a.annualRevenue()));
        });
  }

  private static Rule onboarding(Weights w) {
    return rule(
        "onboarding",
        (a, today) ->
            new Contribution(
                "onboarding",
                w.onboardingPoints().getOrDefault(a.onboarding(), 0),
                "onboarding " + a.onboarding()));
  }

  private static Rule openTickets(Weights w) {
    return rule(
        "open-tickets",
        (a, today) -> {
          long urgent =
              a.openTickets().stream().filter(t -> t.priority().equalsIgnoreCase("urgent")).count();
          long other = a.openTickets().size() - urgent;
          int points =
              (int) (urgent * w.pointsPerUrgentTicket() + other * w.pointsPerOtherTicket());
          String reason =
              a.openTickets().isEmpty()
                  ? "no open tickets"
                  : urgent
                      + " urgent and "
                      + other
                      + " other open "
                      + (a.openTickets().size() == 1 ? "ticket" : "tickets");
          return new Contribution("open-tickets", points, reason);
        });
  }

  private static String lastNote(AccountFacts account) {
    return account.recentNotes().isEmpty()
        ? ""
        : account.recentNotes().get(0).date() + ": " + account.recentNotes().get(0).text();
  }

  static int daysBetween(LocalDate from, LocalDate to) {
    return (int) ChronoUnit.DAYS.between(from, to);
  }
}
