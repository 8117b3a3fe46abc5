package dev.agentmesh.examples.springboot;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.review.Authenticator;
import dev.agentmesh.review.Reviewer;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.triggers.SecretRef;
import dev.agentmesh.triggers.SecretResolver;
import dev.agentmesh.triggers.TriggerBinding;
import dev.agentmesh.triggers.TriggerSpec;
import dev.agentmesh.triggers.TriggerSpecs;
import dev.agentmesh.triggers.Triggers;
import dev.agentmesh.triggers.WebhookHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The mesh and its runtimes as beans: the agents under {@code agents/} and the triggers under
 * {@code triggers/} on the class path, sessions on PostgreSQL through the application's {@code
 * DataSource} (Flyway applies the schema, so the store does not migrate), the review runtime with
 * its publisher, and the webhook handler. {@link MeshLifecycle} starts and stops them in order.
 *
 * <pre>{@code
 * @Autowired Sessions sessions; // or Reviews, Triggers, WebhookHandler
 * }</pre>
 */
@Configuration(proxyBeanMethods = false)
public class MeshConfiguration {

  /**
   * The model behind the specs' alias {@code fast}; a bean of the host's own replaces it.
   *
   * @param env the environment that may name a real model
   * @return the model
   */
  @Bean
  @ConditionalOnMissingBean(ChatModel.class)
  public ChatModel chatModel(Environment env) {
    return SupportModel.from(env);
  }

  /**
   * The mesh: every spec under {@code classpath:agents/}, the model bound to {@code fast}.
   *
   * @param model the model
   * @param resources Spring's resource loader, which also reads specs from a packaged jar
   * @return the mesh
   */
  @Bean
  public Mesh mesh(ChatModel model, ResourcePatternResolver resources) {
    List<AgentSpec> specs = new ArrayList<>();
    for (Map.Entry<String, String> file : read(resources, "agents").entrySet()) {
      specs.add(AgentSpecs.parse(file.getValue(), file.getKey()));
    }
    return Mesh.builder().agents(specs).model("fast", model).build();
  }

  /**
   * Sessions' store: the application's pooled {@code DataSource}, in the schema Flyway migrated
   * (Spring runs Flyway before beans that depend on database initialization).
   *
   * @param dataSource the application's data source
   * @param properties the schema's name
   * @return the store
   */
  @Bean
  @DependsOnDatabaseInitialization
  public PostgresSessionStore sessionStore(DataSource dataSource, HostProperties properties) {
    return PostgresSessionStore.builder(dataSource)
        .schema(properties.schema())
        .migrate(false) // the application's Flyway owns the schema
        .build();
  }

  /**
   * Who a bearer token proves: the configured tokens (a stand-in for the host's single sign-on).
   *
   * @param properties the tokens
   * @return the authenticator
   */
  @Bean
  public Authenticator reviewerAuthenticator(HostProperties properties) {
    Map<String, Reviewer> byToken = new HashMap<>();
    properties.reviewerTokens().forEach((token, id) -> byToken.put(token, Reviewer.of(id)));
    return Authenticator.tokens(byToken);
  }

  /**
   * The review runtime: approved replies go to the {@link Outbox}, once each.
   *
   * @param mesh the mesh
   * @param store the sessions' store
   * @param authenticator who decides
   * @param outbox where approved replies are sent
   * @return the review runtime; {@link MeshLifecycle} closes it
   */
  @Bean(destroyMethod = "")
  public Reviews reviews(
      Mesh mesh, PostgresSessionStore store, Authenticator authenticator, Outbox outbox) {
    return Reviews.builder(mesh)
        .store(store)
        .authenticator(authenticator)
        .publisher("outbound-message", outbox)
        .build();
  }

  /**
   * Sessions over the mesh with review installed; a sweep picks up sessions another node (or this
   * one, before a restart) left runnable.
   *
   * @param mesh the mesh
   * @param store the store
   * @param reviews the review runtime
   * @param properties the node id
   * @return the sessions; {@link MeshLifecycle} closes them
   */
  @Bean(destroyMethod = "")
  public Sessions sessions(
      Mesh mesh, PostgresSessionStore store, Reviews reviews, HostProperties properties) {
    Sessions.Builder b =
        Sessions.builder(mesh)
            .store(store)
            .extension(reviews)
            .sweepInterval(java.time.Duration.ofSeconds(10));
    if (!properties.nodeId().isBlank()) b.nodeId(properties.nodeId());
    return b.build();
  }

  /**
   * The trigger files under {@code classpath:triggers/}, bound: webhook secrets are {@code env:}
   * references read from Spring's environment (an environment variable or a property).
   *
   * @param resources the resource loader
   * @param env where secrets are read
   * @return the bound triggers
   */
  @Bean
  public TriggerBinding triggerBinding(ResourcePatternResolver resources, Environment env) {
    List<TriggerSpec> specs = new ArrayList<>();
    for (Map.Entry<String, String> file : read(resources, "triggers").entrySet()) {
      specs.addAll(TriggerSpecs.parse(file.getValue(), file.getKey()));
    }
    SecretResolver fromSpring =
        ref ->
            ref.scheme().equals(SecretRef.ENV)
                ? Optional.ofNullable(env.getProperty(ref.name()))
                : Optional.empty();
    return TriggerBinding.of(specs, fromSpring, Clock.systemUTC());
  }

  /**
   * The scheduled triggers; {@link MeshLifecycle} starts their ticks.
   *
   * @param sessions the sessions they start
   * @param binding the bound trigger files
   * @param properties the node id
   * @return the runtime; {@link MeshLifecycle} closes it
   */
  @Bean(destroyMethod = "")
  public Triggers triggers(Sessions sessions, TriggerBinding binding, HostProperties properties) {
    Triggers.Builder b = Triggers.builder(sessions).addAll(binding.definitions());
    if (!properties.nodeId().isBlank()) b.nodeId(properties.nodeId());
    return b.build();
  }

  /**
   * The webhook triggers, served by {@link WebhookController}.
   *
   * @param sessions the sessions they start
   * @param binding the bound trigger files
   * @return the handler
   */
  @Bean
  public WebhookHandler webhookHandler(Sessions sessions, TriggerBinding binding) {
    return WebhookHandler.builder(sessions).triggers(binding.webhooks()).build();
  }

  /** Every {@code .yaml} under a class path directory: its {@code classpath:} name and text. */
  private static Map<String, String> read(ResourcePatternResolver resources, String directory) {
    Map<String, String> files = new java.util.TreeMap<>();
    try {
      for (Resource r : resources.getResources("classpath*:" + directory + "/*.yaml")) {
        files.put(
            "classpath:" + directory + "/" + r.getFilename(),
            r.getContentAsString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read classpath:" + directory + "/*.yaml", e);
    }
    if (files.isEmpty()) {
      throw new IllegalStateException(
          "No classpath:" + directory + "/*.yaml: the application's jar lacks its " + directory);
    }
    return files;
  }
}
