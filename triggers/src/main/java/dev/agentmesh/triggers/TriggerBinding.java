package dev.agentmesh.triggers;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Declared triggers ({@link TriggerSpec}s, as {@link TriggerSpecs} loads them) made into the
 * runtime's objects: a {@link TriggerDefinition} for {@link Triggers} per {@code cron}, {@code
 * interval} and {@code once} spec, a {@link WebhookTrigger} for a {@link WebhookHandler} per {@code
 * webhook} spec, and an {@link EventSubscription} for an {@link EventBus} per {@code event} spec.
 * The {@code human} and {@code agent} specs fire nothing; they are the declarations {@link
 * HumanTrigger.Builder#declared} and {@link AgentTriggers.Builder#declared} enforce.
 *
 * <pre>{@code
 * TriggerBinding bound =
 *     TriggerBinding.of(TriggerSpecs.loadDirectory(dir), SecretResolver.environment(), clock);
 * Triggers triggers = Triggers.builder(sessions).addAll(bound.definitions()).clock(clock).build();
 * WebhookHandler webhooks = WebhookHandler.builder(sessions).triggers(bound.webhooks()).build();
 * EventBus.Builder bus = EventBus.builder(sessions);
 * bound.subscriptions().forEach(bus::subscribe);
 * AgentTriggers children = AgentTriggers.builder().declared(bound.agentStarts()).build();
 * HumanTrigger humans =
 *     HumanTrigger.builder(sessions).authenticator(auth).declared(bound.humanStarts()).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Secrets are read once, when {@link #of} binds: a secret that cannot
 * be resolved fails the binding (the message names the reference, never a value).
 */
public final class TriggerBinding {

  private final List<TriggerDefinition> definitions;
  private final List<WebhookTrigger> webhooks;
  private final List<EventSubscription> subscriptions;
  private final Set<String> paused;
  private final List<TriggerSpec> humanStarts;
  private final List<TriggerSpec> agentStarts;

  private TriggerBinding(
      List<TriggerDefinition> definitions,
      List<WebhookTrigger> webhooks,
      List<EventSubscription> subscriptions,
      Set<String> paused,
      List<TriggerSpec> starters) {
    this.definitions = List.copyOf(definitions);
    this.webhooks = List.copyOf(webhooks);
    this.subscriptions = List.copyOf(subscriptions);
    this.paused = Set.copyOf(paused);
    this.humanStarts = starters.stream().filter(t -> t.kind() == TriggerKind.HUMAN).toList();
    this.agentStarts = starters.stream().filter(t -> t.kind() == TriggerKind.AGENT).toList();
  }

  /**
   * Binds declarations.
   *
   * @param specs the declared triggers
   * @param secrets resolves the webhooks' secret references
   * @param clock the clock webhook verifiers read signed timestamps against
   * @return the bound triggers
   * @throws IllegalStateException naming the reference (never a value) when the resolver does not
   *     have a webhook's secret
   */
  public static TriggerBinding of(
      Collection<TriggerSpec> specs, SecretResolver secrets, Clock clock) {
    Objects.requireNonNull(specs, "specs");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(clock, "clock");
    List<TriggerDefinition> definitions = new ArrayList<>();
    List<WebhookTrigger> webhooks = new ArrayList<>();
    List<EventSubscription> subscriptions = new ArrayList<>();
    Set<String> paused = new LinkedHashSet<>();
    List<TriggerSpec> starters = new ArrayList<>();
    for (TriggerSpec spec : specs) {
      if (spec.paused()) {
        paused.add(spec.id());
      }
      switch (spec.kind()) {
        case CRON, INTERVAL, ONCE -> definitions.add(definition(spec));
        case WEBHOOK -> webhooks.add(webhook(spec, secrets, clock));
        case EVENT -> subscriptions.add(subscription(spec));
        case HUMAN, AGENT -> starters.add(spec);
      }
    }
    return new TriggerBinding(definitions, webhooks, subscriptions, paused, starters);
  }

  /** {@return the scheduled triggers, for {@link Triggers.Builder#addAll}} */
  public List<TriggerDefinition> definitions() {
    return definitions;
  }

  /** {@return the webhooks, for a {@link WebhookHandler}} */
  public List<WebhookTrigger> webhooks() {
    return webhooks;
  }

  /** {@return the event subscriptions, for an {@link EventBus}} */
  public List<EventSubscription> subscriptions() {
    return subscriptions;
  }

  /**
   * The {@code human} triggers: the agents people may start, for {@link
   * HumanTrigger.Builder#declared}.
   *
   * @return the human triggers, in declared order
   */
  public List<TriggerSpec> humanStarts() {
    return humanStarts;
  }

  /**
   * The {@code agent} triggers: which agents' {@value AgentTriggers#TOOL} calls may start which
   * agents, for {@link AgentTriggers.Builder#declared}.
   *
   * @return the agent triggers, in declared order
   */
  public List<TriggerSpec> agentStarts() {
    return agentStarts;
  }

  /**
   * The ids of triggers declared {@code paused: true}. The runtime keeps pause state in the store
   * ({@link Triggers#pause}), so the binder does not set it: a host hands these to {@link
   * Triggers#applyDeclaredPauses} at each start, which applies a changed declaration (a deploy) and
   * leaves a runtime pause or resume of an unchanged one alone.
   *
   * @return the paused ids
   */
  public Set<String> paused() {
    return paused;
  }

  static TriggerDefinition definition(TriggerSpec spec) {
    Schedule schedule = Objects.requireNonNull(spec.schedule(), "schedule");
    TriggerDefinition.Builder b =
        TriggerDefinition.of(spec.id(), schedule)
            .agent(spec.agent())
            .overlap(spec.overlap())
            .catchUp(spec.catchUp())
            .jitter(spec.jitter());
    if (spec.input() != null) {
      b.input(spec.input());
    }
    return b.build();
  }

  static WebhookTrigger webhook(TriggerSpec spec, SecretResolver secrets, Clock clock) {
    Verification verification = Objects.requireNonNull(spec.verification(), "verification");
    WebhookTrigger.Builder b =
        WebhookTrigger.builder(spec.id())
            .agent(spec.agent())
            .verifier(verification.verifier(secrets, clock))
            .input(mapping(spec));
    String path = spec.path();
    if (path != null) {
      b.path(path);
    }
    return b.build();
  }

  static EventSubscription subscription(TriggerSpec spec) {
    return EventSubscription.builder(spec.id())
        .topic(Objects.requireNonNull(spec.source(), "source"))
        .agent(spec.agent())
        .input(mapping(spec))
        .build();
  }

  private static InputMapping mapping(TriggerSpec spec) {
    return spec.inputMap().isEmpty() ? InputMapping.whole() : InputMapping.fields(spec.inputMap());
  }

  @Override
  public String toString() {
    return "TriggerBinding{"
        + definitions.size()
        + " scheduled, "
        + webhooks.size()
        + " webhooks, "
        + subscriptions.size()
        + " subscriptions, "
        + humanStarts.size()
        + " human, "
        + agentStarts.size()
        + " agent starts}";
  }
}
