package dev.agentmesh.examples.leadenrichment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentmesh.examples.support.LoopbackProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local company-enrichment service (shaped like Clearbit's or Apollo's company lookup): {@code
 * GET /v1/companies/<domain>} answers the company's name, industry, size and country from the
 * {@code enrichment.json} the example ships, or 404. The example runs it as a process of its own on
 * loopback ({@link #main}, started with {@link LoopbackProcess}); the agent's tool calls it over
 * HTTP.
 *
 * <pre>{@code
 * try (EnrichmentService enrichment = EnrichmentService.start()) {
 *   URI base = enrichment.baseUri(); // http://127.0.0.1:<port>/
 * }
 * }</pre>
 */
public final class EnrichmentService implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpServer server;
  private final ExecutorService executor;
  private final JsonNode companies;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private EnrichmentService(HttpServer server, ExecutorService executor, JsonNode companies) {
    this.server = server;
    this.executor = executor;
    this.companies = companies;
  }

  /** Starts the service on a free loopback port with the shipped companies. */
  public static EnrichmentService start() {
    JsonNode companies;
    try (InputStream in = EnrichmentService.class.getResourceAsStream("/enrichment.json")) {
      if (in == null) throw new IllegalStateException("the example's jar lacks enrichment.json");
      companies = JSON.readTree(in);
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor = Executors.newFixedThreadPool(2);
      server.setExecutor(executor);
      EnrichmentService service = new EnrichmentService(server, executor, companies);
      server.createContext("/v1/companies/", service::handle);
      server.start();
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the local enrichment service", e);
    }
  }

  /** {@return the service's base address, ending in {@code /}} */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** {@return the request lines it answered, oldest first} */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(exchange.getRequestMethod() + " " + path);
    String domain = path.substring("/v1/companies/".length()).toLowerCase(Locale.ROOT);
    JsonNode company = companies.get(domain);
    byte[] body =
        (company != null
                ? JSON.createObjectNode()
                    .put("domain", domain)
                    .setAll((tools.jackson.databind.node.ObjectNode) company)
                : JSON.createObjectNode().put("error", "no company known for domain " + domain))
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(company != null ? 200 : 404, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Runs the service as a process of its own (the example starts it with {@code LoopbackProcess}):
   * prints {@code port <n>}, serves until standard input ends.
   *
   * @param args none
   */
  public static void main(String[] args) {
    EnrichmentService service = start();
    LoopbackProcess.serveUntilEndOfInput(service.server.getAddress().getPort(), service::close);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
