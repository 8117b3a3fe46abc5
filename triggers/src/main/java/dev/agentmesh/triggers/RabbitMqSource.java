package dev.agentmesh.triggers;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Feeds a RabbitMQ queue into an {@link EventBus}: each message becomes an {@link Event} (its
 * message id, its routing key as the topic, its headers, its JSON body) and is acknowledged only
 * once the sessions it starts are in the store. Uses the official client ({@code
 * com.rabbitmq:amqp-client}, an optional dependency of this module: add it to your pom).
 *
 * <pre>{@code
 * ConnectionFactory factory = new ConnectionFactory(); // automatic recovery is on by default
 * factory.setHost("127.0.0.1");
 * RabbitMqSource source = RabbitMqSource.builder(factory, bus)
 *     .queue("signups")                      // must exist: the source never declares it
 *     .deadLetterExchange("signups.dead")    // declared (durable topic) when missing
 *     .prefetch(20)
 *     .build();
 * source.start();
 * ...
 * source.close();
 * }</pre>
 *
 * <p>What happens to a message:
 *
 * <ul>
 *   <li>its sessions are created, or found created under the same message id (a redelivery): it is
 *       acked. A redelivered message never starts a second session, also when it is redelivered to
 *       another consumer or node on the same store;
 *   <li>it can never start a session ({@link EventRejectedException}: body not JSON, no message id
 *       under {@link MissingMessageId#REJECT}, input mapping or input schema failed): a copy with
 *       the reason in headers is published to the dead-letter exchange, and once the broker
 *       confirms the copy the original is acked (not requeued);
 *   <li>anything else fails (the store is down): after {@link Builder#retryPause} it is nacked with
 *       requeue, so it comes again.
 * </ul>
 *
 * <p>Each of {@link Builder#consumers} consumers has its own channel with a prefetch of {@link
 * Builder#prefetch} unacked messages, and handles its messages one at a time on the client's
 * consumer threads. The connection recovers with the client's automatic recovery (the factory must
 * have it on, as it is by default); messages unacked when a connection drops are redelivered and
 * deduplicated. Thread-safe; {@link #start()} once, {@link #close()} any number of times.
 */
public final class RabbitMqSource implements AutoCloseable {

  /** What to do with a message that has no message id (or a blank one, or one holding U+0000). */
  public enum MissingMessageId {
    /**
     * Use {@code sha256:<hex>}, the SHA-256 of the message body's bytes as received, as its id: two
     * messages with the same body are then one event.
     */
    DERIVE_FROM_BODY,
    /** Dead-letter it with reason {@code no-message-id}. */
    REJECT
  }

  final ConnectionFactory factory;
  final EventBus bus;
  final String queue;
  final String deadLetterExchange;
  final int prefetch;
  final int consumers;
  final MissingMessageId missingMessageId;
  final @Nullable String topic;
  final Duration retryPause;
  final Duration confirmTimeout;
  final String connectionName;

  private final CountDownLatch closing = new CountDownLatch(1);
  private final Object lock = new Object();
  private final List<RabbitMqConsumer> running = new ArrayList<>();
  private @Nullable Connection connection;
  private boolean started;

  private RabbitMqSource(Builder b, String queue, String deadLetterExchange) {
    this.factory = b.factory;
    this.bus = b.bus;
    this.queue = queue;
    this.deadLetterExchange = deadLetterExchange;
    this.prefetch = b.prefetch;
    this.consumers = b.consumers;
    this.missingMessageId = b.missingMessageId;
    this.topic = b.topic;
    this.retryPause = b.retryPause;
    this.confirmTimeout = b.confirmTimeout;
    this.connectionName = b.connectionName != null ? b.connectionName : "agentmesh:" + queue;
  }

  /**
   * A builder of a source that reads with connections from {@code factory} and publishes into
   * {@code bus}.
   *
   * @param factory the connection factory (host, credentials, TLS, recovery settings)
   * @param bus the bus whose subscriptions start sessions
   * @return a builder
   */
  public static Builder builder(ConnectionFactory factory, EventBus bus) {
    return new Builder(factory, bus);
  }

  /**
   * Opens the connection, checks the queue exists, declares the dead-letter exchange when missing,
   * and starts the consumers.
   *
   * @throws IOException if RabbitMQ cannot be reached or refuses
   * @throws IllegalStateException if the queue does not exist, or the source was started or closed
   */
  public void start() throws IOException {
    synchronized (lock) {
      if (started || closing.getCount() == 0) {
        throw new IllegalStateException(
            "This source was " + (started ? "started" : "closed") + " already; build another");
      }
      started = true;
      Connection c = open();
      this.connection = c;
      try {
        requireQueue(c);
        declareDeadLetterExchange(c);
        for (int i = 0; i < consumers; i++) {
          RabbitMqConsumer consumer = new RabbitMqConsumer(this, c.createChannel());
          consumer.start(c.createChannel());
          running.add(consumer);
        }
      } catch (IOException | RuntimeException e) {
        closeQuietly(c);
        throw e;
      }
    }
  }

  /**
   * Cancels the consumers, waits (at most ten seconds) for the messages they are handling, and
   * closes the connection. Messages not acked by then are redelivered by RabbitMQ and deduplicated.
   */
  @Override
  public void close() {
    closing.countDown();
    synchronized (lock) {
      for (RabbitMqConsumer consumer : running) {
        consumer.cancel();
      }
      for (RabbitMqConsumer consumer : running) {
        consumer.awaitIdle(Duration.ofSeconds(10));
      }
      running.clear();
      if (connection != null) {
        closeQuietly(connection);
      }
    }
  }

  @Override
  public String toString() {
    return "RabbitMqSource{queue=" + queue + ", dlx=" + deadLetterExchange + "}";
  }

  /** Waits {@code retryPause}, or until the source closes; true when it closed. */
  boolean pauseBeforeRetry() {
    try {
      return closing.await(retryPause.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private Connection open() throws IOException {
    try {
      return factory.newConnection(connectionName);
    } catch (TimeoutException e) {
      throw new IOException(
          "RabbitMQ at "
              + factory.getHost()
              + ":"
              + factory.getPort()
              + " did not answer in time: "
              + e.getMessage(),
          e);
    }
  }

  private void requireQueue(Connection c) throws IOException {
    Channel channel = c.createChannel();
    try {
      channel.queueDeclarePassive(queue);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Queue '"
              + queue
              + "' does not exist on RabbitMQ at "
              + factory.getHost()
              + ":"
              + factory.getPort()
              + " (vhost '"
              + factory.getVirtualHost()
              + "'). Declare it (durable) before starting the source: the source never declares"
              + " the queue it consumes, whose arguments are yours",
          e);
    } finally {
      closeQuietly(channel);
    }
  }

  private void declareDeadLetterExchange(Connection c) throws IOException {
    Channel channel = c.createChannel();
    try {
      channel.exchangeDeclarePassive(deadLetterExchange);
      closeQuietly(channel);
      return;
    } catch (IOException missing) {
      // the passive declare closed that channel: declare on a new one
    }
    Channel declaring = c.createChannel();
    try {
      declaring.exchangeDeclare(deadLetterExchange, BuiltinExchangeType.TOPIC, true);
    } finally {
      closeQuietly(declaring);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (AlreadyClosedException | IOException | TimeoutException e) {
      // closed already, or the broker is gone: nothing to release
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(RabbitMqSource.class)
          .debug("Closing {} failed: {}", closeable, e.toString());
    }
  }

  /** Builds a {@link RabbitMqSource}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private final ConnectionFactory factory;
    private final EventBus bus;
    private @Nullable String queue;
    private @Nullable String deadLetterExchange;
    private int prefetch = 10;
    private int consumers = 1;
    private MissingMessageId missingMessageId = MissingMessageId.REJECT;
    private @Nullable String topic;
    private Duration retryPause = Duration.ofSeconds(1);
    private Duration confirmTimeout = Duration.ofSeconds(10);
    private @Nullable String connectionName;

    private Builder(ConnectionFactory factory, EventBus bus) {
      this.factory = Objects.requireNonNull(factory, "factory");
      this.bus = Objects.requireNonNull(bus, "bus");
    }

    /**
     * The queue to consume (required). It must exist: the source checks and never declares it.
     *
     * @param queue the queue's name
     * @return this builder
     */
    public Builder queue(String queue) {
      this.queue = nonBlank(queue, "queue");
      return this;
    }

    /**
     * Where messages that can never start a session go (required). Used as it is when it exists;
     * otherwise declared as a durable topic exchange. Dead letters keep their routing key; bind a
     * queue to it (with {@code #} for all): RabbitMQ drops what an exchange cannot route, so the
     * source puts a message back into its queue, and says so in the log, while nothing is bound.
     *
     * @param exchange the dead-letter exchange's name
     * @return this builder
     */
    public Builder deadLetterExchange(String exchange) {
      this.deadLetterExchange = nonBlank(exchange, "deadLetterExchange");
      return this;
    }

    /**
     * Unacked messages each consumer holds at most (default 10): its channel's {@code basic.qos}.
     *
     * @param prefetch from 1 to 65535
     * @return this builder
     */
    public Builder prefetch(int prefetch) {
      if (prefetch < 1 || prefetch > 65_535) {
        throw new IllegalArgumentException(
            "prefetch must be between 1 and 65535 (a bound: RabbitMQ reads 0 as unbounded) but was "
                + prefetch);
      }
      this.prefetch = prefetch;
      return this;
    }

    /**
     * Consumers (each its own channel, handling one message at a time) on the connection (default
     * 1).
     *
     * @param consumers from 1 to 64
     * @return this builder
     */
    public Builder consumers(int consumers) {
      if (consumers < 1 || consumers > 64) {
        throw new IllegalArgumentException(
            "consumers must be between 1 and 64 but was " + consumers);
      }
      this.consumers = consumers;
      return this;
    }

    /**
     * What to do with a message without a message id (default {@link MissingMessageId#REJECT}).
     *
     * @param policy reject it, or derive its id from its body
     * @return this builder
     */
    public Builder missingMessageId(MissingMessageId policy) {
      this.missingMessageId = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The topic every message of the queue is published on (default: the message's routing key, or
     * the queue's name when that is blank).
     *
     * @param topic the topic
     * @return this builder
     */
    public Builder topic(String topic) {
      this.topic = Topics.checkTopic(topic);
      return this;
    }

    /**
     * How long a message that failed for a reason that may pass (the store is down) is held before
     * it is put back into the queue (default 1 s), so a store outage is not a busy loop.
     *
     * @param pause from 1 ms to 1 hour
     * @return this builder
     */
    public Builder retryPause(Duration pause) {
      this.retryPause = between(pause, "retryPause");
      return this;
    }

    /**
     * How long to wait for the broker to confirm a dead letter (default 10 s).
     *
     * @param timeout from 1 ms to 1 hour
     * @return this builder
     */
    public Builder confirmTimeout(Duration timeout) {
      this.confirmTimeout = between(timeout, "confirmTimeout");
      return this;
    }

    /**
     * The connection's name as RabbitMQ shows it (default {@code agentmesh:<queue>}).
     *
     * @param name the name
     * @return this builder
     */
    public Builder connectionName(String name) {
      this.connectionName = nonBlank(name, "connectionName");
      return this;
    }

    /**
     * Builds the source; {@link RabbitMqSource#start()} connects.
     *
     * @return the source
     * @throws IllegalStateException if the queue or the dead-letter exchange is missing, or the
     *     factory's automatic recovery is off
     */
    public RabbitMqSource build() {
      if (queue == null) {
        throw new IllegalStateException("A RabbitMQ source needs a queue: .queue(\"signups\")");
      }
      if (deadLetterExchange == null) {
        throw new IllegalStateException(
            "A RabbitMQ source needs a dead-letter exchange for messages that can never start a"
                + " session (a body that is not JSON, an input its agent refuses):"
                + " .deadLetterExchange(\""
                + queue
                + ".dead\")");
      }
      if (!factory.isAutomaticRecoveryEnabled() || !factory.isTopologyRecoveryEnabled()) {
        throw new IllegalStateException(
            "The connection factory has automatic recovery off, so a dropped connection would"
                + " stop the source for good: call factory.setAutomaticRecoveryEnabled(true) and"
                + " factory.setTopologyRecoveryEnabled(true) (the client's defaults)");
      }
      return new RabbitMqSource(this, queue, deadLetterExchange);
    }

    private static String nonBlank(String value, String name) {
      if (Objects.requireNonNull(value, name).isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }

    private static Duration between(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            name + " must be between 1 ms and 1 hour but was " + value);
      }
      return value;
    }
  }
}
