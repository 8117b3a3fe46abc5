package dev.agentmesh.triggers;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * The RabbitMQ server the tests use (127.0.0.1:5672, guest/guest): queues and exchanges with names
 * unique to this run, deleted by {@link #close()}. Never skips: without a server it fails saying
 * how to start one.
 */
final class RabbitMq implements AutoCloseable {

  static final String HOST = "127.0.0.1";
  static final int PORT = 5672;

  private final Connection connection;
  private final String prefix;
  private final List<String> queues = new ArrayList<>();
  private final List<String> exchanges = new ArrayList<>();

  private RabbitMq(Connection connection, String prefix) {
    this.connection = connection;
    this.prefix = prefix;
  }

  /** A factory for the test server that recovers a lost connection within a fifth of a second. */
  static ConnectionFactory factory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(HOST);
    factory.setPort(PORT);
    factory.setUsername("guest");
    factory.setPassword("guest");
    factory.setConnectionTimeout(5_000);
    factory.setNetworkRecoveryInterval(200);
    return factory;
  }

  static RabbitMq connect(Class<?> test) {
    try {
      String prefix =
          "agentmesh-test."
              + test.getSimpleName()
              + "."
              + UUID.randomUUID().toString().substring(0, 8);
      return new RabbitMq(factory().newConnection(prefix + ".admin"), prefix);
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      throw new AssertionFailedError(
          "RabbitMQ is not reachable on "
              + HOST
              + ":"
              + PORT
              + " ("
              + e
              + "). These tests need a real server: run `bash .ci/services` (it starts"
              + " rabbitmq-server -detached, or installs it with apt-get install rabbitmq-server),"
              + " or start it yourself with guest/guest allowed from 127.0.0.1",
          e);
    }
  }

  /** A name unique to this run. */
  String name(String what) {
    return prefix + "." + what + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A new durable queue, deleted at {@link #close()}. */
  String queue() throws IOException {
    String queue = name("queue");
    onChannel(channel -> channel.queueDeclare(queue, true, false, false, null));
    queues.add(queue);
    return queue;
  }

  /** A new dead-letter exchange (topic) with a queue bound to every routing key; the queue. */
  String deadLetterQueue(String exchange) throws IOException {
    declareExchange(exchange);
    String queue = queue();
    onChannel(channel -> channel.queueBind(queue, exchange, "#"));
    return queue;
  }

  void declareExchange(String exchange) throws IOException {
    onChannel(channel -> channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true));
    deleteLater(exchange);
  }

  /** An exchange something else (the source) may declare, deleted at {@link #close()}. */
  void deleteLater(String exchange) {
    exchanges.add(exchange);
  }

  boolean exchangeExists(String exchange) {
    try {
      onChannel(channel -> channel.exchangeDeclarePassive(exchange));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  void publish(String queue, @Nullable String messageId, String body) throws IOException {
    publish(queue, messageId, body, Map.of());
  }

  void publish(String queue, @Nullable String messageId, String body, Map<String, Object> headers)
      throws IOException {
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .messageId(messageId)
            .contentType("application/json")
            .deliveryMode(2)
            .headers(headers)
            .build();
    onChannel(
        channel -> {
          channel.basicPublish("", queue, properties, body.getBytes(StandardCharsets.UTF_8));
          return null;
        });
  }

  /** Messages ready in the queue (not those delivered and unacked). */
  int ready(String queue) {
    try {
      return onChannel(channel -> channel.queueDeclarePassive(queue)).getMessageCount();
    } catch (IOException e) {
      throw new AssertionFailedError("queue " + queue + " is gone", e);
    }
  }

  @Nullable GetResponse get(String queue) throws IOException {
    return onChannel(channel -> channel.basicGet(queue, true));
  }

  Channel channel() throws IOException {
    return connection.createChannel();
  }

  /** Runs {@code call} on a channel of its own, closed after (a failed call closes it anyway). */
  <T> T onChannel(ChannelCall<T> call) throws IOException {
    Channel channel = channel();
    try {
      return call.call(channel);
    } finally {
      if (channel.isOpen()) {
        try {
          channel.close();
        } catch (java.util.concurrent.TimeoutException
            | com.rabbitmq.client.AlreadyClosedException e) {
          // closed under us
        }
      }
    }
  }

  /** Something done on a channel. */
  @FunctionalInterface
  interface ChannelCall<T> {
    T call(Channel channel) throws IOException;
  }

  /**
   * Closes the connection RabbitMQ knows by {@code clientName} from the server side, as a broker
   * restart or a network failure would: one {@code rabbitmqctl eval} that finds the connection by
   * the name the client gave it (RabbitMQ 3.10's {@code list_connections} has no column for it).
   */
  static void closeFromServer(String clientName) throws IOException, InterruptedException {
    if (!clientName.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("not a test connection name: " + clientName);
    }
    String closed =
        rabbitmqctl(
            "eval",
            "length([rabbit_networking:close_connection(P, \"agentmesh test\")"
                + " || P <- rabbit_networking:connections(),"
                + " lists:member({<<\"connection_name\">>, longstr, <<\""
                + clientName
                + "\">>}, proplists:get_value(client_properties,"
                + " rabbit_networking:connection_info(P, [client_properties]), []))]).");
    if (!closed.trim().equals("1")) {
      throw new AssertionFailedError(
          "Expected rabbitmqctl to close one connection named " + clientName + " but: " + closed);
    }
  }

  private static String rabbitmqctl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("rabbitmqctl");
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionFailedError(
          "rabbitmqctl is not on the PATH; it comes with the rabbitmq-server package", e);
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionFailedError(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    try {
      onChannel(
          channel -> {
            for (String queue : queues) {
              channel.queueDelete(queue);
            }
            for (String exchange : exchanges) {
              channel.exchangeDelete(exchange);
            }
            return null;
          });
    } finally {
      connection.close();
    }
  }
}
