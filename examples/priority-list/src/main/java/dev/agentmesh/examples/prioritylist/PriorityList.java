package dev.agentmesh.examples.prioritylist;

import java.util.List;

/**
 * The agent's output: one ranked list per rep, each item carrying the contribution of every rule,
 * and the escalations that go to the reps' managers.
 *
 * <pre>{@code
 * PriorityList list = state.output(PriorityList.class);
 * PriorityList.Item top = list.lists().get(0).items().get(0); // top.contributions() say why
 * }</pre>
 *
 * @param date the day the list is for, ISO ({@code 2026-12-01})
 * @param lists one list per rep, by rep id
 */
public record PriorityList(String date, List<RepList> lists) {

  /**
   * Copies the lists.
   *
   * @param date the day the list is for, ISO ({@code 2026-12-01})
   * @param lists one list per rep, by rep id
   */
  public PriorityList {
    lists = List.copyOf(lists);
  }

  /**
   * One rep's ranked accounts and escalations.
   *
   * @param rep the rep's id
   * @param repName the rep's name
   * @param manager the id of the rep's manager, who gets the escalations
   * @param items the rep's accounts, highest score first
   * @param escalations what goes to the manager today
   */
  public record RepList(
      String rep, String repName, String manager, List<Item> items, List<Escalation> escalations) {

    /**
     * Copies the lists.
     *
     * @param rep the rep's id
     * @param repName the rep's name
     * @param manager the id of the rep's manager, who gets the escalations
     * @param items the rep's accounts, highest score first
     * @param escalations what goes to the manager today
     */
    public RepList {
      items = List.copyOf(items);
      escalations = List.copyOf(escalations);
    }
  }

  /**
   * One account on a rep's list.
   *
   * @param rank 1 for the top of the list
   * @param account the account's id
   * @param name the account's name
   * @param score the sum of the contributions' points
   * @param contributions what every rule added, in the rules' order
   * @param lastNote the most recent call note, or empty
   */
  public record Item(
      int rank,
      String account,
      String name,
      int score,
      List<Contribution> contributions,
      String lastNote) {

    /**
     * Copies the contributions.
     *
     * @param rank 1 for the top of the list
     * @param account the account's id
     * @param name the account's name
     * @param score the sum of the contributions' points
     * @param contributions what every rule added, in the rules' order
     * @param lastNote the most recent call note, or empty
     */
    public Item {
      contributions = List.copyOf(contributions);
    }
  }

  /**
   * What one rule added to an account's score, and why.
   *
   * @param rule the rule's name ({@code last-touch}, {@code tier}, ...)
   * @param points the points it added
   * @param reason the facts it read, in words
   */
  public record Contribution(String rule, int points, String reason) {}

  /**
   * A high-value account with an urgent ticket left unanswered too long: the manager hears of it.
   *
   * @param account the account's id
   * @param name the account's name
   * @param ticket the ticket's id
   * @param subject the ticket's subject
   * @param daysOpen how many days the ticket has been open
   * @param manager who it goes to
   * @param reason the rule's reason, in words
   */
  public record Escalation(
      String account,
      String name,
      String ticket,
      String subject,
      int daysOpen,
      String manager,
      String reason) {}
}
