package dev.agentmesh.triggers;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of a {@link RabbitMqSource}: a channel with a bounded prefetch whose deliveries are
 * handled one at a time (the client dispatches a channel's deliveries in order, on its consumer
 * threads), and a second channel in confirm mode for dead letters.
 */
final class RabbitMqConsumer extends DefaultConsumer {

  static final String REASON = "x-agentmesh-reason";
  static final String DETAIL = "x-agentmesh-detail";
  static final String QUEUE = "x-agentmesh-queue";
  static final String SUBSCRIPTION = "x-agentmesh-subscription";
  static final String EXCHANGE = "x-agentmesh-exchange";
  static final String ROUTING_KEY = "x-agentmesh-routing-key";

  private static final Logger log = LoggerFactory.getLogger(RabbitMqSource.class);

  private final RabbitMqSource source;
  private final ReentrantLock handling = new ReentrantLock();
  private final AtomicBoolean returned = new AtomicBoolean();
  private @Nullable Channel deadLetters;
  private volatile @Nullable String tag;

  RabbitMqConsumer(RabbitMqSource source, Channel channel) {
    super(channel);
    this.source = source;
  }

  void start(Channel deadLetterChannel) throws IOException {
    deadLetterChannel.confirmSelect();
    deadLetterChannel.addReturnListener(r -> returned.set(true));
    this.deadLetters = deadLetterChannel;
    getChannel().basicQos(source.prefetch);
    this.tag = getChannel().basicConsume(source.queue, false, this);
  }

  void cancel() {
    String consumerTag = tag;
    if (consumerTag != null) {
      try {
        getChannel().basicCancel(consumerTag);
      } catch (IOException | AlreadyClosedException e) {
        log.debug(
            "Cancelling consumer {} of queue {} failed: {}",
            consumerTag,
            source.queue,
            e.toString());
      }
    }
  }

  void awaitIdle(Duration timeout) {
    try {
      if (handling.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        handling.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void handleDelivery(
      String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    handling.lock();
    try {
      if (handle(envelope, properties, body)) {
        settle(envelope, true);
      } else {
        source.pauseBeforeRetry();
        settle(envelope, false);
      }
    } finally {
      handling.unlock();
    }
  }

  @Override
  public void handleCancel(String consumerTag) {
    log.warn(
        "RabbitMQ cancelled the consumer of queue '{}' (was the queue deleted?); messages of it"
            + " are no longer read",
        source.queue);
  }

  /** True when the message is done with (its sessions exist, or it was dead-lettered). */
  private boolean handle(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    try {
      source.bus.publish(RabbitMqMessages.event(source, envelope, properties, body));
      return true;
    } catch (EventRejectedException rejected) {
      return deadLetter(envelope, properties, body, rejected);
    } catch (RuntimeException e) {
      log.warn(
          "Message {} of queue '{}' started no session yet; it goes back to the queue in {}: {}",
          describe(properties),
          source.queue,
          source.retryPause,
          e.toString());
      return false;
    }
  }

  private void settle(Envelope envelope, boolean done) {
    try {
      if (done) {
        getChannel().basicAck(envelope.getDeliveryTag(), false);
      } else {
        getChannel().basicNack(envelope.getDeliveryTag(), false, true);
      }
    } catch (IOException | AlreadyClosedException e) {
      // The channel went away: RabbitMQ redelivers the message, and its sessions are not
      // started twice (they are found under its id).
      log.debug("Settling a message of queue '{}' failed: {}", source.queue, e.toString());
    }
  }

  private boolean deadLetter(
      Envelope envelope,
      AMQP.BasicProperties properties,
      byte[] body,
      EventRejectedException rejected) {
    Channel channel = deadLetters;
    if (channel == null) {
      return false;
    }
    Map<String, Object> headers = new HashMap<>();
    if (properties.getHeaders() != null) {
      headers.putAll(properties.getHeaders());
    }
    headers.put(REASON, rejected.reason().code());
    headers.put(DETAIL, truncated(String.valueOf(rejected.getMessage())));
    headers.put(QUEUE, source.queue);
    headers.put(EXCHANGE, envelope.getExchange());
    headers.put(ROUTING_KEY, envelope.getRoutingKey());
    if (rejected.subscription() != null) {
      headers.put(SUBSCRIPTION, rejected.subscription());
    }
    AMQP.BasicProperties copy = properties.builder().headers(headers).deliveryMode(2).build();
    try {
      returned.set(false);
      channel.basicPublish(source.deadLetterExchange, envelope.getRoutingKey(), true, copy, body);
      if (!channel.waitForConfirms(source.confirmTimeout.toMillis())) {
        log.warn("RabbitMQ refused a dead letter for exchange '{}'", source.deadLetterExchange);
        return false;
      }
      if (returned.get()) {
        log.warn(
            "Dead-letter exchange '{}' routes no message with routing key '{}': message {} of"
                + " queue '{}' ({}) goes back to its queue. Fix: bind a queue to the exchange"
                + " (routing key '#' for all)",
            source.deadLetterExchange,
            envelope.getRoutingKey(),
            describe(properties),
            source.queue,
            rejected.reason().code());
        return false;
      }
      log.info(
          "Dead-lettered message {} of queue '{}' to '{}': {}",
          describe(properties),
          source.queue,
          source.deadLetterExchange,
          rejected.getMessage());
      return true;
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      log.warn("Dead-lettering a message of queue '{}' failed: {}", source.queue, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String describe(AMQP.BasicProperties properties) {
    String id = properties.getMessageId();
    return id == null ? "(no message id)" : "'" + EventBus.shown(id) + "'";
  }

  private static String truncated(String text) {
    return text.length() > 1000 ? text.substring(0, 1000) + "..." : text;
  }
}
