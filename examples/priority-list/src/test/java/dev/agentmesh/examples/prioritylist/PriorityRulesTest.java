package dev.agentmesh.examples.prioritylist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.examples.prioritylist.AccountFacts.CallNote;
import dev.agentmesh.examples.prioritylist.AccountFacts.OpenTicket;
import dev.agentmesh.examples.prioritylist.PriorityList.Contribution;
import dev.agentmesh.examples.prioritylist.PriorityList.Item;
import dev.agentmesh.examples.prioritylist.PriorityList.RepList;
import dev.agentmesh.examples.prioritylist.PriorityRules.Rep;
import dev.agentmesh.testsupport.Seeds;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PriorityRulesTest {

  static final LocalDate TODAY = LocalDate.parse("2026-11-30");
  static final Rep PRIYA = new Rep("103", "Priya Nair", "104");
  final PriorityRules rules = PriorityRules.defaults();

  static AccountFacts account(
      String id,
      String tier,
      long revenue,
      String onboarding,
      LocalDate lastTouch,
      OpenTicket... tickets) {
    return new AccountFacts(
        id,
        "Account " + id,
        "103",
        tier,
        revenue,
        onboarding,
        lastTouch,
        List.of(tickets),
        List.of());
  }

  static OpenTicket urgent(String id, LocalDate opened, boolean answered) {
    return new OpenTicket(id, "Login loop", "urgent", opened, answered);
  }

  @Test
  void everyItemCarriesEachRulesContributionAndItsScoreIsTheirSum() {
    AccountFacts umbrella =
        new AccountFacts(
            "1004",
            "Umbrella Health",
            "103",
            "enterprise",
            12_500_000,
            "stalled",
            LocalDate.parse("2026-10-06"),
            List.of(
                new OpenTicket(
                    "7004", "Need SOC 2 report", "normal", LocalDate.parse("2026-10-08"), false),
                urgent("7005", LocalDate.parse("2026-11-19"), false)),
            List.of(new CallNote(LocalDate.parse("2026-10-06"), "103", "Go-live slipped.")));

    Item item = rules.rank(PRIYA, List.of(umbrella), TODAY).items().get(0);

    assertThat(item.contributions())
        .containsExactly(
            new Contribution("last-touch", 30, "last touched 55 days ago (2026-10-06)"),
            new Contribution("tier", 25, "enterprise tier"),
            new Contribution("revenue", 25, "$12,500,000 a year"),
            new Contribution("onboarding", 25, "onboarding stalled"),
            new Contribution("open-tickets", 13, "1 urgent and 1 other open tickets"));
    assertThat(item.score()).isEqualTo(118);
    assertThat(item.lastNote()).isEqualTo("2026-10-06: Go-live slipped.");
    assertThat(rules.rules())
        .extracting(PriorityRules.Rule::name)
        .containsExactly("last-touch", "tier", "revenue", "onboarding", "open-tickets");
  }

  @Test
  void theAccountWithTheHighestScoreTopsTheListAndTiesGoToTheHigherRevenue() {
    LocalDate touched = TODAY.minusDays(3);
    AccountFacts small = account("1", "smb", 400_000, "complete", touched);
    AccountFacts big = account("2", "smb", 900_000, "complete", touched); // 1 revenue point more
    AccountFacts tiedLow = account("3", "smb", 499_999, "complete", touched); // ties with small
    AccountFacts neglected = account("4", "smb", 100_000, "not_started", TODAY.minusDays(40));

    RepList list = rules.rank(PRIYA, List.of(small, big, tiedLow, neglected), TODAY);

    assertThat(list.items()).extracting(Item::account).containsExactly("4", "2", "3", "1");
    assertThat(list.items()).extracting(Item::rank).containsExactly(1, 2, 3, 4);
    assertThat(list.items()).extracting(Item::score).containsExactly(40, 4, 3, 3);
  }

  @Test
  void anUrgentTicketOfAHighValueAccountUnansweredForTenDaysGoesToTheManager() {
    AccountFacts acme =
        account(
            "1001",
            "enterprise",
            4_200_000,
            "complete",
            TODAY,
            urgent("7001", TODAY.minusDays(10), false));

    RepList list = rules.rank(PRIYA, List.of(acme), TODAY);

    assertThat(list.escalations())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.ticket()).isEqualTo("7001");
              assertThat(e.daysOpen()).isEqualTo(10);
              assertThat(e.manager()).isEqualTo("104");
              assertThat(e.reason())
                  .isEqualTo(
                      "Account 1001 pays $4,200,000 a year (high-value from $1,000,000); urgent"
                          + " ticket 7001 has been open 10 days (since 2026-11-20) with no response"
                          + " (escalated from 10)");
            });
  }

  @Test
  void nineDaysAnAnswerALowerRevenueOrALowerPriorityEscalateNothing() {
    LocalDate tenDaysAgo = TODAY.minusDays(10);
    List<AccountFacts> quiet =
        List.of(
            account(
                "a",
                "enterprise",
                4_200_000,
                "complete",
                TODAY,
                urgent("1", TODAY.minusDays(9), false)),
            account("b", "enterprise", 4_200_000, "complete", TODAY, urgent("2", tenDaysAgo, true)),
            account("c", "enterprise", 999_999, "complete", TODAY, urgent("3", tenDaysAgo, false)),
            account(
                "d",
                "enterprise",
                4_200_000,
                "complete",
                TODAY,
                new OpenTicket("4", "Slow export", "high", tenDaysAgo, false)));

    assertThat(rules.rank(PRIYA, quiet, TODAY).escalations()).isEmpty();
  }

  static Stream<Long> seeds() {
    return Seeds.of(20);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void theListDependsOnTheFactsNotOnTheOrderTheCrmSentThemIn(long seed) {
    Random random = new Random(seed);
    List<AccountFacts> accounts = new ArrayList<>();
    String[] tiers = {"enterprise", "mid-market", "smb", "unknown"};
    String[] onboarding = {"not_started", "in_progress", "stalled", "complete"};
    for (int i = 0; i < 1 + random.nextInt(12); i++) {
      List<OpenTicket> tickets = new ArrayList<>();
      for (int t = 0; t < random.nextInt(3); t++)
        tickets.add(
            new OpenTicket(
                i + "-" + t,
                "subject",
                random.nextBoolean() ? "urgent" : "normal",
                TODAY.minusDays(random.nextInt(20)),
                random.nextBoolean()));
      accounts.add(
          new AccountFacts(
              "acc-" + i,
              "Account " + i,
              "103",
              tiers[random.nextInt(tiers.length)],
              random.nextInt(5) * 500_000L,
              onboarding[random.nextInt(onboarding.length)],
              TODAY.minusDays(random.nextInt(60)),
              tickets,
              List.of()));
    }
    Seeds.print(getClass(), seed, accounts.size() + " accounts");
    RepList first = rules.rank(PRIYA, accounts, TODAY);
    List<AccountFacts> shuffled = new ArrayList<>(accounts);
    Collections.shuffle(shuffled, random);

    assertThat(rules.rank(PRIYA, shuffled, TODAY)).isEqualTo(first);
    for (Item item : first.items())
      assertThat(item.score())
          .isEqualTo(item.contributions().stream().mapToInt(Contribution::points).sum());
    assertThat(first.items())
        .extracting(Item::score)
        .isSortedAccordingTo(Collections.reverseOrder());
  }
}
