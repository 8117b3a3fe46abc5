package dev.agentmesh.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Whether an agent's output (or some of its tool calls) must be approved by a human before it takes
 * effect, who may decide, how many approvals are needed, how long a proposal stays open and what
 * happens then, and how risky its artifacts are. Declared here (the spec's {@code review:}
 * section), enforced by the {@code review} module.
 *
 * <pre>{@code
 * ReviewPolicy policy = ReviewPolicy.builder()
 *     .required(true)
 *     .groups("support-leads")
 *     .approvals(2)
 *     .fourEyes(true)
 *     .expiry(Duration.ofHours(24))
 *     .onExpiry(ReviewPolicy.OnExpiry.ESCALATE)
 *     .escalateTo("support-managers")
 *     .risk(ReviewPolicy.Risk.MEDIUM)
 *     .build();
 * }</pre>
 *
 * @param required whether the agent's output needs approval
 * @param reviewers reviewer ids that may decide
 * @param groups groups whose members may decide (the host's directory says who is in them)
 * @param approvals how many approvals from distinct reviewers are needed, 1 to 10
 * @param fourEyes whether the person who started the session is excluded from deciding
 * @param expiry how long a proposal stays open, or {@code null} for no expiry
 * @param onExpiry what happens when a proposal expires
 * @param escalateTo the reviewer or group an expired proposal is escalated to, with {@link
 *     OnExpiry#ESCALATE}; else {@code null}
 * @param risk the agent's risk tier: the least tier of each of its artifacts
 * @param riskByType risk tiers per artifact type name ({@code record-change}, {@code acme.ticket})
 * @param autoApproveBelow artifacts (and record-change fields) below this tier are approved by
 *     policy, or {@code null} for never
 * @param fieldRisk risk tiers of single fields of a record change, by field name
 * @param artifact the artifact type the agent's output is, or {@code null} when its output is not
 *     an artifact
 * @param tools tools whose calls wait for approval before they run
 */
public record ReviewPolicy(
    boolean required,
    List<String> reviewers,
    List<String> groups,
    int approvals,
    boolean fourEyes,
    @Nullable Duration expiry,
    OnExpiry onExpiry,
    @Nullable String escalateTo,
    Risk risk,
    Map<String, Risk> riskByType,
    @Nullable Risk autoApproveBelow,
    Map<String, Risk> fieldRisk,
    @Nullable String artifact,
    List<String> tools) {

  /** No review: output takes effect directly. */
  public static final ReviewPolicy NONE = builder().build();

  private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");

  /** What happens to a proposal nobody decided before its expiry. */
  public enum OnExpiry {
    /** It stays pending (the expiry only marks it overdue). */
    KEEP,
    /** It is rejected by policy. */
    REJECT,
    /** It is offered to {@link ReviewPolicy#escalateTo()} as well. */
    ESCALATE;

    /** {@return the name used in spec files, such as {@code escalate}} */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How much harm an artifact can do; tiers are ordered from {@link #LOW} to {@link #CRITICAL}. */
  public enum Risk {
    /** Little harm; a typo fix, an internal note. */
    LOW,
    /** Visible, reversible harm. */
    MEDIUM,
    /** Customer-visible or costly to reverse. */
    HIGH,
    /** Money, security or data loss. */
    CRITICAL;

    /** {@return the name used in spec files, such as {@code high}} */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether this tier is below {@code other}.
     *
     * @param other the tier to compare with
     * @return true when this tier is lower
     */
    public boolean isBelow(Risk other) {
      return compareTo(other) < 0;
    }

    /**
     * The higher of two tiers.
     *
     * @param a a tier
     * @param b another tier
     * @return the higher one
     */
    public static Risk max(Risk a, Risk b) {
      return a.compareTo(b) >= 0 ? a : b;
    }
  }

  /**
   * Checks every value and copies the collections (maps sorted by key).
   *
   * @param required whether the agent's output needs approval
   * @param reviewers reviewer ids that may decide
   * @param groups groups whose members may decide
   * @param approvals how many approvals from distinct reviewers are needed, 1 to 10
   * @param fourEyes whether the person who started the session is excluded from deciding
   * @param expiry how long a proposal stays open, or {@code null}
   * @param onExpiry what happens when a proposal expires
   * @param escalateTo the reviewer or group to escalate to, or {@code null}
   * @param risk the agent's risk tier
   * @param riskByType risk tiers per artifact type name
   * @param autoApproveBelow the tier below which artifacts are approved by policy, or {@code null}
   * @param fieldRisk risk tiers of record-change fields
   * @param artifact the artifact type of the agent's output, or {@code null}
   * @param tools tools whose calls wait for approval
   * @throws IllegalArgumentException naming the field whose value is wrong
   */
  public ReviewPolicy {
    reviewers = names("reviewers", reviewers);
    groups = names("groups", groups);
    tools = names("tools", tools);
    if (approvals < 1 || approvals > 10) {
      throw new IllegalArgumentException("approvals must be between 1 and 10 but was " + approvals);
    }
    if (expiry != null && (expiry.isNegative() || expiry.isZero())) {
      throw new IllegalArgumentException(
          "expiry must be positive but was " + Durations.format(expiry));
    }
    Objects.requireNonNull(onExpiry, "onExpiry");
    Objects.requireNonNull(risk, "risk");
    if (escalateTo != null) {
      name("escalateTo", escalateTo);
    }
    riskByType = risks(riskByType, true);
    fieldRisk = risks(fieldRisk, false);
    if (artifact != null) {
      typeName("artifact", artifact);
    }
    crossCheck(expiry, onExpiry, escalateTo, autoApproveBelow);
  }

  /**
   * A policy with the four original fields and defaults for the rest.
   *
   * @param required whether the agent's output needs approval
   * @param reviewers reviewer ids that may decide
   * @param approvals how many approvals are needed, 1 to 10
   * @param expiry how long a proposal stays open, or {@code null} for no expiry
   */
  public ReviewPolicy(
      boolean required, List<String> reviewers, int approvals, @Nullable Duration expiry) {
    this(
        required,
        reviewers,
        List.of(),
        approvals,
        false,
        expiry,
        OnExpiry.KEEP,
        null,
        Risk.LOW,
        Map.of(),
        null,
        Map.of(),
        null,
        List.of());
  }

  /** {@return a builder with the defaults: no review, one approval, low risk, no expiry} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder that starts from this policy} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.required = required;
    b.reviewers = reviewers;
    b.groups = groups;
    b.approvals = approvals;
    b.fourEyes = fourEyes;
    b.expiry = expiry;
    b.onExpiry = onExpiry;
    b.escalateTo = escalateTo;
    b.risk = risk;
    b.riskByType = riskByType;
    b.autoApproveBelow = autoApproveBelow;
    b.fieldRisk = fieldRisk;
    b.artifact = artifact;
    b.tools = tools;
    return b;
  }

  private static void crossCheck(
      @Nullable Duration expiry,
      OnExpiry onExpiry,
      @Nullable String escalateTo,
      @Nullable Risk autoApproveBelow) {
    if (onExpiry != OnExpiry.KEEP && expiry == null) {
      throw new IllegalArgumentException(
          "onExpiry is '"
              + onExpiry.id()
              + "' but no expiry is set; set expiry (such as 24h) or leave onExpiry out");
    }
    if (onExpiry == OnExpiry.ESCALATE && escalateTo == null) {
      throw new IllegalArgumentException(
          "onExpiry is 'escalate' but escalateTo is not set; name the reviewer or group to"
              + " escalate to");
    }
    if (escalateTo != null && onExpiry != OnExpiry.ESCALATE) {
      throw new IllegalArgumentException(
          "escalateTo is set but onExpiry is '"
              + onExpiry.id()
              + "'; set onExpiry to 'escalate' or leave escalateTo out");
    }
    if (autoApproveBelow == Risk.LOW) {
      throw new IllegalArgumentException(
          "autoApproveBelow is 'low', which approves nothing (no tier is below low);"
              + " use medium, high or critical, or leave it out");
    }
  }

  private static List<String> names(String field, Collection<String> names) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String n : Objects.requireNonNull(names, field)) {
      name(field, n);
      if (!out.add(n)) {
        throw new IllegalArgumentException(field + " lists '" + n + "' twice; keep one");
      }
    }
    return List.copyOf(out);
  }

  private static void name(String field, @Nullable String name) {
    if (name == null || name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          field
              + " expected a name (not blank, no control characters) but found '"
              + (name == null ? "null" : Text.clip(name, 60))
              + "'");
    }
  }

  private static void typeName(String field, String name) {
    if (!TYPE_NAME.matcher(name).matches() || name.length() > 64) {
      throw new IllegalArgumentException(
          field
              + " expected an artifact type name (lowercase letters, digits, dots and hyphens,"
              + " such as 'record-change' or 'acme.ticket') but found '"
              + Text.clip(name, 60)
              + "'");
    }
  }

  private static Map<String, Risk> risks(Map<String, Risk> risks, boolean types) {
    String field = types ? "riskByType" : "fieldRisk";
    TreeMap<String, Risk> sorted = new TreeMap<>();
    Objects.requireNonNull(risks, field)
        .forEach(
            (k, v) -> {
              if (types) {
                typeName(field, k);
              } else {
                name(field, k);
              }
              sorted.put(k, Objects.requireNonNull(v, field + " value"));
            });
    return Collections.unmodifiableMap(sorted);
  }

  /** Builds a {@link ReviewPolicy}; each setter checks its value; {@code build()} may repeat. */
  public static final class Builder {
    private boolean required;
    private List<String> reviewers = List.of();
    private List<String> groups = List.of();
    private int approvals = 1;
    private boolean fourEyes;
    private @Nullable Duration expiry;
    private OnExpiry onExpiry = OnExpiry.KEEP;
    private @Nullable String escalateTo;
    private Risk risk = Risk.LOW;
    private Map<String, Risk> riskByType = Map.of();
    private @Nullable Risk autoApproveBelow;
    private Map<String, Risk> fieldRisk = Map.of();
    private @Nullable String artifact;
    private List<String> tools = List.of();

    private Builder() {}

    /**
     * Sets whether the agent's output needs approval (default {@code false}).
     *
     * @param required whether output needs approval
     * @return this builder
     */
    public Builder required(boolean required) {
      this.required = required;
      return this;
    }

    /**
     * Sets the reviewer ids that may decide.
     *
     * @param reviewers reviewer ids
     * @return this builder
     */
    public Builder reviewers(List<String> reviewers) {
      this.reviewers = names("reviewers", reviewers);
      return this;
    }

    /**
     * Sets the reviewer ids that may decide.
     *
     * @param reviewers reviewer ids
     * @return this builder
     */
    public Builder reviewers(String... reviewers) {
      this.reviewers = names("reviewers", List.of(reviewers));
      return this;
    }

    /**
     * Sets the groups whose members may decide.
     *
     * @param groups group names
     * @return this builder
     */
    public Builder groups(List<String> groups) {
      this.groups = names("groups", groups);
      return this;
    }

    /**
     * Sets the groups whose members may decide.
     *
     * @param groups group names
     * @return this builder
     */
    public Builder groups(String... groups) {
      this.groups = names("groups", List.of(groups));
      return this;
    }

    /**
     * Sets how many approvals from distinct reviewers are needed (default 1).
     *
     * @param approvals 1 to 10
     * @return this builder
     */
    public Builder approvals(int approvals) {
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
    public Builder fourEyes(boolean fourEyes) {
      this.fourEyes = fourEyes;
      return this;
    }

    /**
     * Sets how long a proposal stays open.
     *
     * @param expiry a positive duration, or {@code null} for none
     * @return this builder
     */
    public Builder expiry(@Nullable Duration expiry) {
      if (expiry != null && (expiry.isNegative() || expiry.isZero())) {
        throw new IllegalArgumentException(
            "expiry must be positive but was " + Durations.format(expiry));
      }
      this.expiry = expiry;
      return this;
    }

    /**
     * Sets what happens when a proposal expires (default {@link OnExpiry#KEEP}).
     *
     * @param onExpiry the action
     * @return this builder
     */
    public Builder onExpiry(OnExpiry onExpiry) {
      this.onExpiry = Objects.requireNonNull(onExpiry, "onExpiry");
      return this;
    }

    /**
     * Sets the reviewer or group an expired proposal is escalated to.
     *
     * @param escalateTo a reviewer id or group name, or {@code null}
     * @return this builder
     */
    public Builder escalateTo(@Nullable String escalateTo) {
      if (escalateTo != null) {
        name("escalateTo", escalateTo);
      }
      this.escalateTo = escalateTo;
      return this;
    }

    /**
     * Sets the agent's risk tier (default {@link Risk#LOW}).
     *
     * @param risk the tier
     * @return this builder
     */
    public Builder risk(Risk risk) {
      this.risk = Objects.requireNonNull(risk, "risk");
      return this;
    }

    /**
     * Sets risk tiers per artifact type name.
     *
     * @param riskByType each type name and its tier
     * @return this builder
     */
    public Builder riskByType(Map<String, Risk> riskByType) {
      this.riskByType = risks(riskByType, true);
      return this;
    }

    /**
     * Sets the tier below which artifacts and record-change fields are approved by policy.
     *
     * @param autoApproveBelow medium, high or critical, or {@code null} for never
     * @return this builder
     */
    public Builder autoApproveBelow(@Nullable Risk autoApproveBelow) {
      this.autoApproveBelow = autoApproveBelow;
      return this;
    }

    /**
     * Sets risk tiers of single record-change fields.
     *
     * @param fieldRisk each field name and its tier
     * @return this builder
     */
    public Builder fieldRisk(Map<String, Risk> fieldRisk) {
      this.fieldRisk = risks(fieldRisk, false);
      return this;
    }

    /**
     * Sets the artifact type the agent's output is.
     *
     * @param artifact a type name such as {@code document}, or {@code null}
     * @return this builder
     */
    public Builder artifact(@Nullable String artifact) {
      if (artifact != null) {
        typeName("artifact", artifact);
      }
      this.artifact = artifact;
      return this;
    }

    /**
     * Sets the tools whose calls wait for approval before they run.
     *
     * @param tools tool names
     * @return this builder
     */
    public Builder tools(List<String> tools) {
      this.tools = names("tools", tools);
      return this;
    }

    /**
     * Sets the tools whose calls wait for approval before they run.
     *
     * @param tools tool names
     * @return this builder
     */
    public Builder tools(String... tools) {
      this.tools = names("tools", List.of(tools));
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException when the values do not fit together (an escalation without a
     *     target, an expiry action without an expiry)
     */
    public ReviewPolicy build() {
      return new ReviewPolicy(
          required,
          reviewers,
          groups,
          approvals,
          fourEyes,
          expiry,
          onExpiry,
          escalateTo,
          risk,
          riskByType,
          autoApproveBelow,
          fieldRisk,
          artifact,
          tools);
    }
  }
}
