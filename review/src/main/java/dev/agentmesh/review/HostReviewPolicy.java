package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.core.ReviewPolicy.OnExpiry;
import dev.agentmesh.core.ReviewPolicy.Risk;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the host says about review on top of the agents' specs: reviewers and groups added to every
 * agent's, and overrides per agent and per artifact type. {@link ReviewRules} merges them with the
 * spec's {@link ReviewPolicy}: reviewers and groups are added up; every other setting is taken from
 * the most specific place that sets it, the type's override, then the agent's, then the spec.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * HostReviewPolicy host = HostReviewPolicy.builder()
 *     .groups("compliance")                        // may decide every agent's artifacts
 *     .agent("crm-sync", HostReviewPolicy.Overrides.builder().approvals(2).build())
 *     .type("record-change", HostReviewPolicy.Overrides.builder()
 *         .risk(Risk.HIGH).groups("crm-admins").build())
 *     .build();
 * }</pre>
 */
public final class HostReviewPolicy {

  private static final HostReviewPolicy NONE = builder().build();

  private final Set<String> reviewers;
  private final Set<String> groups;
  private final Map<String, Overrides> agents;
  private final Map<String, Overrides> types;

  private HostReviewPolicy(Builder b) {
    this.reviewers = Set.copyOf(b.reviewers);
    this.groups = Set.copyOf(b.groups);
    this.agents = Map.copyOf(b.agents);
    this.types = Map.copyOf(b.types);
  }

  /** {@return no host overrides: the specs alone decide} */
  public static HostReviewPolicy none() {
    return NONE;
  }

  /** {@return an empty builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return reviewer ids that may decide every agent's artifacts} */
  public Set<String> reviewers() {
    return reviewers;
  }

  /** {@return groups whose members may decide every agent's artifacts} */
  public Set<String> groups() {
    return groups;
  }

  /**
   * The override for {@code agent}.
   *
   * @param agent the agent's name
   * @return its override, or {@link Overrides#NONE}
   */
  public Overrides agent(String agent) {
    return agents.getOrDefault(agent, Overrides.NONE);
  }

  /**
   * The override for artifacts of {@code type}.
   *
   * @param type the artifact type's name
   * @return its override, or {@link Overrides#NONE}
   */
  public Overrides type(String type) {
    return types.getOrDefault(type, Overrides.NONE);
  }

  /** Builds a {@link HostReviewPolicy}. */
  public static final class Builder {
    private final Set<String> reviewers = new LinkedHashSet<>();
    private final Set<String> groups = new LinkedHashSet<>();
    private final Map<String, Overrides> agents = new LinkedHashMap<>();
    private final Map<String, Overrides> types = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds reviewer ids that may decide every agent's artifacts.
     *
     * @param reviewers reviewer ids
     * @return this builder
     */
    public Builder reviewers(String... reviewers) {
      addNames(this.reviewers, "reviewers", reviewers);
      return this;
    }

    /**
     * Adds groups whose members may decide every agent's artifacts.
     *
     * @param groups group names
     * @return this builder
     */
    public Builder groups(String... groups) {
      addNames(this.groups, "groups", groups);
      return this;
    }

    /**
     * Sets the override for one agent (replacing an earlier one).
     *
     * @param agent the agent's name
     * @param override what the host says about it
     * @return this builder
     */
    public Builder agent(String agent, Overrides override) {
      agents.put(checked("agent", agent), Objects.requireNonNull(override, "override"));
      return this;
    }

    /**
     * Sets the override for one artifact type, for every agent (replacing an earlier one); its
     * {@link Overrides#risk()} is the type's tier.
     *
     * @param type the artifact type's name
     * @param override what the host says about it
     * @return this builder
     */
    public Builder type(String type, Overrides override) {
      types.put(checked("type", type), Objects.requireNonNull(override, "override"));
      return this;
    }

    /**
     * Builds the host policy.
     *
     * @return the host policy
     */
    public HostReviewPolicy build() {
      return new HostReviewPolicy(this);
    }
  }

  /**
   * What the host sets for one agent or one artifact type; a setting left unset keeps the spec's.
   * Reviewers and groups are added to the spec's.
   *
   * <pre>{@code
   * HostReviewPolicy.Overrides strict = HostReviewPolicy.Overrides.builder()
   *     .approvals(2).fourEyes(true).noAutoApproval().build();
   * }</pre>
   */
  public static final class Overrides {

    /** Sets nothing. */
    public static final Overrides NONE = builder().build();

    private final Set<String> reviewers;
    private final Set<String> groups;
    private final @Nullable Integer approvals;
    private final @Nullable Boolean fourEyes;
    private final @Nullable Duration expiry;
    private final @Nullable OnExpiry onExpiry;
    private final @Nullable String escalateTo;
    private final @Nullable Risk risk;
    private final boolean autoApprovalSet;
    private final @Nullable Risk autoApproveBelow;
    private final Map<String, Risk> fieldRisk;

    private Overrides(Overrides.Builder b) {
      this.reviewers = Set.copyOf(b.reviewers);
      this.groups = Set.copyOf(b.groups);
      this.approvals = b.approvals;
      this.fourEyes = b.fourEyes;
      this.expiry = b.expiry;
      this.onExpiry = b.onExpiry;
      this.escalateTo = b.escalateTo;
      this.risk = b.risk;
      this.autoApprovalSet = b.autoApprovalSet;
      this.autoApproveBelow = b.autoApproveBelow;
      this.fieldRisk = java.util.Collections.unmodifiableMap(new TreeMap<>(b.fieldRisk));
    }

    /** {@return an empty builder} */
    public static Overrides.Builder builder() {
      return new Overrides.Builder();
    }

    /** {@return reviewer ids added} */
    public Set<String> reviewers() {
      return reviewers;
    }

    /** {@return groups added} */
    public Set<String> groups() {
      return groups;
    }

    /** {@return the approvals needed, or null when not overridden} */
    public @Nullable Integer approvals() {
      return approvals;
    }

    /** {@return whether four eyes apply, or null when not overridden} */
    public @Nullable Boolean fourEyes() {
      return fourEyes;
    }

    /** {@return the expiry, or null when not overridden} */
    public @Nullable Duration expiry() {
      return expiry;
    }

    /** {@return the expiry action, or null when not overridden} */
    public @Nullable OnExpiry onExpiry() {
      return onExpiry;
    }

    /** {@return the escalation target set with {@link #onExpiry()}, or null} */
    public @Nullable String escalateTo() {
      return escalateTo;
    }

    /** {@return the agent's (or the type's) risk tier, or null when not overridden} */
    public @Nullable Risk risk() {
      return risk;
    }

    /** {@return whether the auto-approval tier is overridden (possibly to never)} */
    public boolean autoApprovalSet() {
      return autoApprovalSet;
    }

    /** {@return the auto-approval tier when {@link #autoApprovalSet()}; null means never} */
    public @Nullable Risk autoApproveBelow() {
      return autoApproveBelow;
    }

    /** {@return field tiers that replace the spec's, field by field} */
    public Map<String, Risk> fieldRisk() {
      return fieldRisk;
    }

    /** Builds an {@link Overrides}; each setter checks its value. */
    public static final class Builder {
      private final Set<String> reviewers = new LinkedHashSet<>();
      private final Set<String> groups = new LinkedHashSet<>();
      private @Nullable Integer approvals;
      private @Nullable Boolean fourEyes;
      private @Nullable Duration expiry;
      private @Nullable OnExpiry onExpiry;
      private @Nullable String escalateTo;
      private @Nullable Risk risk;
      private boolean autoApprovalSet;
      private @Nullable Risk autoApproveBelow;
      private final Map<String, Risk> fieldRisk = new LinkedHashMap<>();

      private Builder() {}

      /**
       * Adds reviewer ids that may decide.
       *
       * @param reviewers reviewer ids
       * @return this builder
       */
      public Overrides.Builder reviewers(String... reviewers) {
        addNames(this.reviewers, "reviewers", reviewers);
        return this;
      }

      /**
       * Adds groups whose members may decide.
       *
       * @param groups group names
       * @return this builder
       */
      public Overrides.Builder groups(String... groups) {
        addNames(this.groups, "groups", groups);
        return this;
      }

      /**
       * Sets the approvals needed.
       *
       * @param approvals 1 to 10
       * @return this builder
       */
      public Overrides.Builder approvals(int approvals) {
        if (approvals < 1 || approvals > 10) {
          throw new IllegalArgumentException(
              "approvals must be between 1 and 10 but was " + approvals);
        }
        this.approvals = approvals;
        return this;
      }

      /**
       * Sets whether the person who started the session is excluded from deciding.
       *
       * @param fourEyes true to exclude them
       * @return this builder
       */
      public Overrides.Builder fourEyes(boolean fourEyes) {
        this.fourEyes = fourEyes;
        return this;
      }

      /**
       * Sets how long a proposal stays open.
       *
       * @param expiry a positive duration
       * @return this builder
       */
      public Overrides.Builder expiry(Duration expiry) {
        if (expiry.isNegative() || expiry.isZero()) {
          throw new IllegalArgumentException("expiry must be positive but was " + expiry);
        }
        this.expiry = expiry;
        return this;
      }

      /**
       * Sets what happens at expiry; {@code escalateTo} is required with {@link OnExpiry#ESCALATE}
       * and refused otherwise.
       *
       * @param onExpiry the action
       * @param escalateTo the reviewer id or group to escalate to, or null
       * @return this builder
       */
      public Overrides.Builder onExpiry(OnExpiry onExpiry, @Nullable String escalateTo) {
        if ((onExpiry == OnExpiry.ESCALATE) != (escalateTo != null)) {
          throw new IllegalArgumentException(
              onExpiry == OnExpiry.ESCALATE
                  ? "onExpiry ESCALATE needs escalateTo: name the reviewer or group"
                  : "escalateTo is only for onExpiry ESCALATE but onExpiry was " + onExpiry);
        }
        this.onExpiry = onExpiry;
        this.escalateTo = escalateTo == null ? null : checked("escalateTo", escalateTo);
        return this;
      }

      /**
       * Sets the risk tier: the agent's in {@link HostReviewPolicy.Builder#agent}, the type's in
       * {@link HostReviewPolicy.Builder#type}.
       *
       * @param risk the tier
       * @return this builder
       */
      public Overrides.Builder risk(Risk risk) {
        this.risk = Objects.requireNonNull(risk, "risk");
        return this;
      }

      /**
       * Approves artifacts and record-change fields below {@code tier} by policy.
       *
       * @param tier medium, high or critical
       * @return this builder
       */
      public Overrides.Builder autoApproveBelow(Risk tier) {
        if (tier == Risk.LOW) {
          throw new IllegalArgumentException(
              "autoApproveBelow LOW approves nothing (no tier is below low); use noAutoApproval()");
        }
        this.autoApprovalSet = true;
        this.autoApproveBelow = tier;
        return this;
      }

      /**
       * Never approves by policy, whatever the spec says.
       *
       * @return this builder
       */
      public Overrides.Builder noAutoApproval() {
        this.autoApprovalSet = true;
        this.autoApproveBelow = null;
        return this;
      }

      /**
       * Sets record-change field tiers, replacing the spec's for these fields.
       *
       * @param fieldRisk each field and its tier
       * @return this builder
       */
      public Overrides.Builder fieldRisk(Map<String, Risk> fieldRisk) {
        fieldRisk.forEach(
            (k, v) -> this.fieldRisk.put(checked("fieldRisk", k), Objects.requireNonNull(v, k)));
        return this;
      }

      /**
       * Builds the override.
       *
       * @return the override
       */
      public Overrides build() {
        return new Overrides(this);
      }
    }
  }

  private static void addNames(Set<String> into, String field, String... names) {
    for (String n : List.of(names)) {
      into.add(checked(field, n));
    }
  }

  private static String checked(String field, String name) {
    if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          field
              + " expected a name (not blank, no control characters) but was '"
              + Texts.truncate(name, 60)
              + "'");
    }
    return name;
  }
}
