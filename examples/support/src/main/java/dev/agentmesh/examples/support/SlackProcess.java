package dev.agentmesh.examples.support;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/**
 * The Slack-compatible incoming webhook ({@link SlackReceiver}) as a process of its own on
 * 127.0.0.1: it prints every message as a user would see it, and its output is forwarded to the
 * example's. After a message was posted, {@link #sync()} makes sure it has been printed before the
 * example prints its next line.
 *
 * <pre>{@code
 * try (SlackProcess slack = SlackProcess.start(System.out)) {
 *   Notifier notifier = SlackNotifier.builder(slack.webhookUri()).build();
 *   notifier.deliver(notification);
 *   slack.sync(); // its printout is in System.out now
 * }
 * }</pre>
 */
public final class SlackProcess implements AutoCloseable {

  private final LoopbackProcess process;
  private final HttpClient http;

  private SlackProcess(LoopbackProcess process) {
    this.process = process;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Starts the receiver.
   *
   * @param out where its printout of each message goes
   * @return the running receiver; close it
   */
  public static SlackProcess start(PrintStream out) {
    return new SlackProcess(
        LoopbackProcess.start("the Slack webhook receiver", SlackReceiver.class, List.of(), out));
  }

  /** {@return the incoming-webhook address to post messages to} */
  public URI webhookUri() {
    return URI.create(process.baseUri() + SlackReceiver.PATH);
  }

  /** {@return the messages received so far, oldest first, read over HTTP} */
  public List<SlackReceiver.Message> messages() {
    return SlackReceiver.messages(process.getJson(http, SlackReceiver.RECEIVED, "messages"));
  }

  /** Waits until every message received so far has been printed to the example's output. */
  public void sync() {
    process.sync();
  }

  /** Stops the process. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return process.toString();
  }
}
