package dev.agentmesh.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible chat completions endpoint that answers every request after a fixed delay,
 * holding any number of open requests on one thread: a non-blocking HTTP/1.1 server (keep-alive,
 * {@code Content-Length} bodies) whose selector loop reads each request, and writes its answer when
 * the delay has passed. Written for {@link ManySessionsHarness}, which runs it in its own process
 * so that its sockets, heap and CPU are not counted against the sessions'; the JDK's {@code
 * HttpServer}, used before, spent more CPU per request than the sessions did and dropped
 * connections at 10,000 at once.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.agentmesh.benchmarks.SlowChatServer 1000
 * </pre>
 *
 * <p>Prints {@code port <n>} on its first line, then serves until its standard input closes, and
 * prints how many answers it sent on its standard error.
 */
public final class SlowChatServer {

  static final String ANSWER =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1764000000,"
          + "\"model\":\"slow-stub\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Done.\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2,\"total_tokens\":14}}";

  private static final byte[] RESPONSE = response();

  private final Selector selector;
  private final ServerSocketChannel server;
  private final long delayNanos;
  private final PriorityQueue<Connection> due =
      new PriorityQueue<>((a, b) -> Long.compare(a.answerAt, b.answerAt));
  private long served;

  private SlowChatServer(long delayMillis) throws IOException {
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16_384);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
  }

  /**
   * Serves until standard input closes.
   *
   * @param args the delay before each answer in milliseconds (default 1000)
   * @throws IOException if the server cannot bind
   */
  public static void main(String[] args) throws IOException {
    long delayMillis = args.length > 0 ? Long.parseLong(args[0]) : 1000;
    SlowChatServer s = new SlowChatServer(delayMillis);
    System.out.println("port " + ((InetSocketAddress) s.server.getLocalAddress()).getPort());
    System.out.flush();
    Thread loop = new Thread(s::serve, "slow-chat-server");
    loop.setDaemon(true);
    loop.start();
    while (System.in.read() >= 0) {
      // serve until the harness closes our standard input (or dies)
    }
    System.err.println("served " + s.served);
  }

  private void serve() {
    try {
      while (true) {
        Connection next = due.peek();
        long wait = next == null ? 0 : next.answerAt - System.nanoTime();
        if (next == null) {
          selector.select();
        } else if (wait > 0) {
          selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        } else {
          selector.selectNow();
        }
        for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
          SelectionKey key = keys.next();
          keys.remove();
          if (!key.isValid()) continue;
          if (key.isAcceptable()) {
            accept();
          } else if (key.isReadable()) {
            read(key, (Connection) key.attachment());
          } else if (key.isWritable()) {
            write(key, (Connection) key.attachment());
          }
        }
        long now = System.nanoTime();
        while (!due.isEmpty() && due.peek().answerAt - now <= 0) {
          Connection c = due.poll();
          c.out = ByteBuffer.wrap(RESPONSE);
          write(c.key, c);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void accept() throws IOException {
    SocketChannel ch;
    while ((ch = server.accept()) != null) {
      ch.configureBlocking(false);
      ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
      key.attach(new Connection(key));
    }
  }

  private void read(SelectionKey key, Connection c) {
    SocketChannel ch = (SocketChannel) key.channel();
    try {
      int n = ch.read(c.in);
      if (n < 0) {
        close(key);
        return;
      }
      if (c.in.position() == c.in.capacity()) {
        ByteBuffer bigger = ByteBuffer.allocate(c.in.capacity() * 2);
        c.in.flip();
        bigger.put(c.in);
        c.in = bigger;
      }
      if (c.requestComplete()) {
        c.in.clear();
        c.answerAt = System.nanoTime() + delayNanos;
        key.interestOps(0); // one request at a time per connection, as OkHttp sends them
        due.add(c);
      }
    } catch (IOException e) {
      close(key);
    }
  }

  private void write(SelectionKey key, Connection c) {
    try {
      ((SocketChannel) key.channel()).write(c.out);
      if (c.out.hasRemaining()) {
        key.interestOps(SelectionKey.OP_WRITE);
      } else {
        served++;
        key.interestOps(SelectionKey.OP_READ);
      }
    } catch (IOException | java.nio.channels.CancelledKeyException e) {
      close(key);
    }
  }

  private static void close(SelectionKey key) {
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static byte[] response() {
    byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** One client connection: the request read so far, and the answer being written. */
  private static final class Connection {
    final SelectionKey key;
    ByteBuffer in = ByteBuffer.allocate(4096);
    ByteBuffer out = ByteBuffer.allocate(0);
    long answerAt;

    Connection(SelectionKey key) {
      this.key = key;
    }

    /** Whether {@link #in} holds a whole request: its head and a body of its Content-Length. */
    boolean requestComplete() {
      int end = in.position();
      byte[] a = in.array();
      for (int i = 3; i < end; i++) {
        if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
          String head = new String(a, 0, i, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
          int at = head.indexOf("content-length:");
          int length = 0;
          if (at >= 0) {
            int eol = head.indexOf('\r', at);
            length =
                Integer.parseInt(head.substring(at + 15, eol < 0 ? head.length() : eol).trim());
          }
          return end - (i + 1) >= length;
        }
      }
      return false;
    }
  }
}
