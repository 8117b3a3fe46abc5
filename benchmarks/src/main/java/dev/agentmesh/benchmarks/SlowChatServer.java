package dev.agentmesh.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat completions endpoint that answers every request after a fixed delay,
 * holding thousands of open requests on a handful of threads: the handler reads the request and
 * hands the exchange to a scheduler that answers it later (the JDK's HttpServer keeps an exchange
 * open until its response body is closed). Run by {@link ManySessionsHarness} in its own process,
 * so that its sockets and heap are not counted against the sessions'.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.agentmesh.benchmarks.SlowChatServer 1000
 * </pre>
 *
 * <p>Prints {@code port <n>} on its first line, then serves until its standard input closes.
 */
public final class SlowChatServer {

  static final String ANSWER =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1764000000,"
          + "\"model\":\"slow-stub\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Done.\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2,\"total_tokens\":14}}";

  private SlowChatServer() {}

  /**
   * Serves until standard input closes.
   *
   * @param args the delay before each answer in milliseconds (default 1000)
   * @throws IOException if the server cannot bind
   */
  public static void main(String[] args) throws IOException {
    long delayMillis = args.length > 0 ? Long.parseLong(args[0]) : 1000;
    byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
    ScheduledExecutorService later = Executors.newScheduledThreadPool(2);
    AtomicInteger served = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16_384);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext(
        "/",
        exchange -> {
          drain(exchange);
          later.schedule(
              () -> answer(exchange, answer, served), delayMillis, TimeUnit.MILLISECONDS);
        });
    server.start();
    System.out.println("port " + server.getAddress().getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // serve until the harness closes our standard input (or dies)
    }
    server.stop(0);
    later.shutdownNow();
    System.err.println("served " + served.get());
  }

  private static void drain(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static void answer(HttpExchange exchange, byte[] answer, AtomicInteger served) {
    try {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
      served.incrementAndGet();
    } catch (IOException e) {
      exchange.close();
    }
  }
}
