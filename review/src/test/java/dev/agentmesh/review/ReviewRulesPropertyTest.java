package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.review.ReviewRefusedException.Reason;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.testsupport.Seeds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Who may decide and how the quorum counts, over generated reviewers, origins and approvals. */
class ReviewRulesPropertyTest {

  static final ArtifactTypes TYPES = ArtifactTypes.standard();
  static final ReviewRules RULES = ReviewRules.of(TYPES, HostReviewPolicy.none());
  static final List<String> PEOPLE = List.of("ana", "bo", "carla", "dana", "eli", "fay");
  static final List<String> GROUPS = List.of("leads", "ops", "legal");
  static final List<Origin.Kind> AUTOMATED =
      List.of(
          Origin.Kind.CRON,
          Origin.Kind.INTERVAL,
          Origin.Kind.ONCE,
          Origin.Kind.WEBHOOK,
          Origin.Kind.EVENT,
          Origin.Kind.SESSION);
  static final Document PROPOSED = Samples.document();
  static final ContentHash CURRENT = TYPES.contentHash(PROPOSED);
  static final List<ContentHash> OTHERS =
      List.of(TYPES.contentHash(Samples.table()), TYPES.contentHash(Samples.message()));

  static Stream<Long> seeds() {
    return Seeds.of(25);
  }

  static Reviewer reviewer(Random r, String id) {
    Set<String> groups = new LinkedHashSet<>();
    GROUPS.forEach(
        g -> {
          if (r.nextInt(3) == 0) {
            groups.add(g);
          }
        });
    return new Reviewer(id, groups);
  }

  static ReviewPolicy policy(Random r, boolean fourEyes, String... alsoListed) {
    List<String> reviewers = new ArrayList<>(List.of(alsoListed));
    PEOPLE.stream().filter(p -> r.nextBoolean() && !reviewers.contains(p)).forEach(reviewers::add);
    return ReviewPolicy.builder()
        .required(true)
        .reviewers(reviewers)
        .groups(GROUPS.stream().filter(g -> r.nextBoolean()).toList())
        .approvals(1 + r.nextInt(4))
        .fourEyes(fourEyes)
        .build();
  }

  static Origin automatedOrigin(Random r) {
    Origin.Kind kind = AUTOMATED.get(r.nextInt(AUTOMATED.size()));
    return new Origin(kind, "trigger-" + r.nextInt(3), null, null);
  }

  static Decision decision(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> Decision.approve();
      case 1 -> Decision.reject("no");
      case 2 -> Decision.requestChanges("again", List.of());
      default ->
          Decision.edit(
              new Document(
                  PROPOSED.title(), PROPOSED.format(), PROPOSED.before(), "edited " + r.nextInt()));
    };
  }

  static List<DecisionCheck.Approval> approvals(Random r) {
    List<DecisionCheck.Approval> out = new ArrayList<>();
    for (int i = r.nextInt(8); i > 0; i--) {
      ContentHash hash = r.nextBoolean() ? CURRENT : OTHERS.get(r.nextInt(OTHERS.size()));
      out.add(new DecisionCheck.Approval(PEOPLE.get(r.nextInt(PEOPLE.size())), hash));
    }
    return out;
  }

  static DecisionCheck.Builder check(ReviewPolicy p, Origin origin, Reviewer who, Decision d) {
    return DecisionCheck.builder()
        .policy(p)
        .agent("writer")
        .artifact(PROPOSED, CURRENT)
        .origin(origin)
        .reviewer(who)
        .decision(d)
        .now(Instant.parse("2026-11-30T09:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void theQuorumCountsDistinctReviewersOnTheCurrentHashOnly(long seed) {
    Seeds.print(getClass(), seed);
    Random r = new Random(seed);
    for (int i = 0; i < 25; i++) {
      String id = PEOPLE.get(r.nextInt(PEOPLE.size()));
      ReviewPolicy p = policy(r, false, id);
      List<DecisionCheck.Approval> before = approvals(r);
      Set<String> onCurrent = new LinkedHashSet<>();
      before.stream()
          .filter(a -> a.hash().equals(CURRENT))
          .forEach(a -> onCurrent.add(a.reviewer()));

      Verdict v =
          RULES.evaluate(
              check(p, Origin.api("inbox"), reviewer(r, id), Decision.approve())
                  .approvals(before)
                  .build());

      if (onCurrent.contains(id)) {
        assertThat(v).isInstanceOf(Verdict.Refused.class);
        assertThat(((Verdict.Refused) v).reason()).isEqualTo(Reason.ALREADY_APPROVED);
      } else {
        Verdict.Approves a = (Verdict.Approves) v;
        onCurrent.add(id);
        assertThat(a.approvers()).containsExactlyElementsOf(onCurrent);
        assertThat(a.hash()).isEqualTo(CURRENT);
        assertThat(a.complete()).isEqualTo(onCurrent.size() >= p.approvals());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void theProducingAgentAndAutomatedTriggersNeverDecideEvenWhenListed(long seed) {
    Seeds.print(getClass(), seed);
    Random r = new Random(seed);
    for (int i = 0; i < 25; i++) {
      Origin origin = r.nextBoolean() ? automatedOrigin(r) : Origin.human("carla");
      boolean agent = r.nextBoolean() || origin.kind() == Origin.Kind.HUMAN;
      String id = agent ? "writer" : r.nextBoolean() ? origin.id() : origin.key();
      ReviewPolicy p = policy(r, r.nextBoolean(), id);
      Reviewer who = new Reviewer(id, Set.copyOf(GROUPS));

      Verdict v =
          RULES.evaluate(check(p, origin, who, decision(r)).approvals(approvals(r)).build());

      assertThat(v).isInstanceOf(Verdict.Refused.class);
      assertThat(((Verdict.Refused) v).reason())
          .isEqualTo(agent ? Reason.PRODUCING_AGENT : Reason.AUTOMATED_ORIGIN);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void fourEyesExcludesTheStarterAndOnlyTheStarter(long seed) {
    Seeds.print(getClass(), seed);
    Random r = new Random(seed);
    for (int i = 0; i < 25; i++) {
      String starter = PEOPLE.get(r.nextInt(PEOPLE.size()));
      String other = PEOPLE.stream().filter(p -> !p.equals(starter)).toList().get(r.nextInt(5));
      boolean fourEyes = r.nextBoolean();
      ReviewPolicy p = policy(r, fourEyes, starter, other);
      Decision d = decision(r);

      Verdict byStarter =
          RULES.evaluate(check(p, Origin.human(starter), reviewer(r, starter), d).build());
      Verdict byOther =
          RULES.evaluate(check(p, Origin.human(starter), reviewer(r, other), d).build());

      assertThat(byOther).isNotInstanceOf(Verdict.Refused.class);
      if (fourEyes) {
        assertThat(((Verdict.Refused) byStarter).reason()).isEqualTo(Reason.FOUR_EYES);
      } else {
        assertThat(byStarter).isNotInstanceOf(Verdict.Refused.class);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void onlyListedReviewersAndMembersOfListedGroupsDecide(long seed) {
    Seeds.print(getClass(), seed);
    Random r = new Random(seed);
    for (int i = 0; i < 25; i++) {
      ReviewPolicy p = policy(r, false);
      Reviewer who = reviewer(r, PEOPLE.get(r.nextInt(PEOPLE.size())));
      boolean listed =
          p.reviewers().contains(who.id()) || p.groups().stream().anyMatch(who::memberOf);

      Verdict v = RULES.evaluate(check(p, Origin.api("inbox"), who, decision(r)).build());

      if (listed) {
        assertThat(v).isNotInstanceOf(Verdict.Refused.class);
      } else {
        assertThat(((Verdict.Refused) v).reason()).isEqualTo(Reason.NOT_A_REVIEWER);
      }
    }
  }
}
