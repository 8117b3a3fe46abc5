package dev.agentmesh.triggers;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Serves a {@link WebhookHandler} with the JDK's built-in HTTP server ({@code
 * com.sun.net.httpserver}, no dependency), on an executor: the host's, or a pool of its own.
 *
 * <pre>{@code
 * try (JdkWebhookServer server = JdkWebhookServer.builder(webhooks)
 *         .address(new InetSocketAddress(8080))  // default: loopback, a free port
 *         .executor(executor)                    // default: a pool of its own
 *         .start()) {
 *   URI github = server.uri("/webhooks/github");
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops accepting, waits up to the stop grace for exchanges under
 * way, and shuts down the pool it made (never an executor it was given).
 *
 * <p>The JDK server writes a response's head and body as two packets and, unless the system
 * property {@value #NODELAY} is {@code true}, leaves Nagle's algorithm on, so on a kept-alive
 * connection each answer waits for the client's delayed acknowledgement (about 40 ms on Linux: some
 * 80 answers a second where several hundred are possible). {@link Builder#start()} therefore sets
 * that property to {@code true} when it is not set; the JDK reads it once, when its first server
 * starts, so set it yourself ({@code -Dsun.net.httpserver.nodelay=true}) when another {@code
 * HttpServer} starts earlier in the JVM, or when you mount {@link JdkWebhookHandler} on your own
 * server.
 */
public final class JdkWebhookServer implements AutoCloseable {

  /** The JDK server's switch for {@code TCP_NODELAY}, read once when its first server starts. */
  public static final String NODELAY = "sun.net.httpserver.nodelay";

  private final HttpServer server;
  private final @Nullable ExecutorService ownedExecutor;
  private final Duration stopGrace;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdkWebhookServer(
      HttpServer server, @Nullable ExecutorService ownedExecutor, Duration stopGrace) {
    this.server = server;
    this.ownedExecutor = ownedExecutor;
    this.stopGrace = stopGrace;
  }

  /**
   * A builder for a server of {@code handler}.
   *
   * @param handler the webhooks to serve
   * @return a new builder
   */
  public static Builder builder(WebhookHandler handler) {
    return new Builder(handler);
  }

  /** {@return the address the server listens on (with the port it got, when asked for 0)} */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@return the port the server listens on} */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The {@code http://} URI of a path on this server, for tests and for telling senders.
   *
   * @param path such as {@code /webhooks/github}
   * @return the URI
   */
  public URI uri(String path) {
    InetSocketAddress at = address();
    String host = at.getAddress().isAnyLocalAddress() ? "127.0.0.1" : at.getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + at.getPort() + path);
  }

  /** Stops the server (waiting up to the stop grace) and the pool it made; again is a no-op. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop((int) Math.min(Integer.MAX_VALUE, (stopGrace.toMillis() + 999) / 1000));
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  @Override
  public String toString() {
    return "JdkWebhookServer{" + address() + "}";
  }

  /** Collects the server's settings; {@link #start()} may be called again for another server. */
  public static final class Builder {
    private final WebhookHandler handler;
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private @Nullable Executor executor;
    private int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private int backlog;
    private Duration stopGrace = Duration.ofSeconds(1);

    private Builder(WebhookHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Where to listen; the loopback address and a free port by default (say which address the
     * senders reach for production).
     *
     * @param address the address and port (0 for a free one)
     * @return this builder
     */
    public Builder address(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * The executor exchanges run on (each blocks while its session is stored). The server does not
     * shut it down. Default: a pool of {@link #threads(int)} daemon threads the server owns.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The size of the pool the server makes when given no executor; twice the processors, at least
     * 4, by default.
     *
     * @param threads from 1 to 1024
     * @return this builder
     */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException("threads must be from 1 to 1024 but was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * The listen backlog; 0 (the system's default) by default.
     *
     * @param backlog the most pending connections, or 0
     * @return this builder
     */
    public Builder backlog(int backlog) {
      if (backlog < 0) {
        throw new IllegalArgumentException("backlog must not be negative but was " + backlog);
      }
      this.backlog = backlog;
      return this;
    }

    /**
     * How long {@link #close()} waits for exchanges under way (rounded up to whole seconds); 1
     * second by default.
     *
     * @param grace the grace period
     * @return this builder
     */
    public Builder stopGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("stopGrace must not be negative but was " + grace);
      }
      this.stopGrace = grace;
      return this;
    }

    /**
     * Binds and starts a server; sets {@value JdkWebhookServer#NODELAY} to {@code true} first,
     * unless it is set.
     *
     * @return the running server
     * @throws UncheckedIOException if the address cannot be bound
     */
    public JdkWebhookServer start() {
      if (System.getProperty(NODELAY) == null) {
        System.setProperty(NODELAY, "true");
      }
      HttpServer server;
      try {
        server = HttpServer.create(address, backlog);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot listen for webhooks on " + address, e);
      }
      ExecutorService owned =
          executor == null ? Executors.newFixedThreadPool(threads, daemons()) : null;
      server.setExecutor(executor != null ? executor : owned);
      server.createContext("/", JdkWebhookHandler.of(handler));
      server.start();
      return new JdkWebhookServer(server, owned, stopGrace);
    }

    private static ThreadFactory daemons() {
      AtomicInteger n = new AtomicInteger();
      return task -> {
        Thread thread = new Thread(task, "agentmesh-webhook-" + n.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      };
    }
  }
}
