package dev.agentmesh.review.notify.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.review.ContentHash;
import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.review.notify.Notifier;
import dev.agentmesh.review.notify.Provenance;
import dev.agentmesh.review.notify.Recipient;
import dev.agentmesh.review.notify.RenderedSurfaces;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance kit every {@link Notifier} passes: extend it, give it a notifier over a real
 * (test) channel, a way to read what the channel received and a way to break the channel. Ships in
 * agentmesh-review's test-jar ({@code <classifier>tests</classifier>}).
 *
 * <pre>{@code
 * class MyNotifierCompatibilityTest extends NotifierCompatibilityKit {
 *   @Override protected Notifier notifier() { return new MyNotifier(server.url()); }
 *   @Override protected List<String> received() { return server.bodies(); }
 *   @Override protected void breakChannel() { server.failFromNowOn(); }
 * }
 * }</pre>
 */
public abstract class NotifierCompatibilityKit {

  /** A title every channel must show, possibly escaped, as a substring of what it sends. */
  protected static final String TITLE = "Release notes 4.2 need review";

  /** A notifier whose channel works. Called once per test. */
  protected abstract Notifier notifier() throws Exception;

  /**
   * Everything the channel received so far, one entry per message, as raw as the channel allows.
   */
  protected abstract List<String> received() throws Exception;

  /** Makes the channel fail from now on: the next delivery must throw. */
  protected abstract void breakChannel() throws Exception;

  /** Who the kit's notifications are for; channels that need addresses override this. */
  protected List<Recipient> recipients() {
    return List.of(Recipient.email("reviewer@example.com"));
  }

  /** Secrets the notifier holds (keys, webhook URLs): they must not appear in failure messages. */
  protected List<String> secrets() {
    return List.of();
  }

  protected Notification sample(Notification.Kind kind, String id, String title) {
    Notification.Builder b =
        Notification.builder(kind, id)
            .title(title)
            .recipients(recipients())
            .provenance(
                new Provenance(
                    "art-7", new ContentHash("ab".repeat(32)), "sess-3", "release-notes", "low"))
            .surfaces(
                new RenderedSurfaces("text surface", "markdown surface", "<p>html surface</p>"))
            .link(Notification.LinkRel.OPEN, URI.create("https://review.example.com/a/7"));
    if (kind == Notification.Kind.DIGEST) {
      b.item(
          Notification.builder(Notification.Kind.REVIEW_REQUESTED, id + "-item")
              .title("item")
              .build());
    }
    return b.build();
  }

  @ParameterizedTest
  @EnumSource(Notification.Kind.class)
  public void everyKindIsDeliveredOnceWithItsTitle(Notification.Kind kind) throws Exception {
    Notifier notifier = notifier();
    int before = received().size();
    notifier.deliver(sample(kind, "n-" + kind.ordinal(), TITLE));
    List<String> after = received();
    assertThat(after).hasSize(before + 1);
    assertThat(after.get(after.size() - 1)).contains(TITLE);
  }

  @Test
  public void aBrokenChannelIsReportedByThrowingWithoutSecrets() throws Exception {
    Notifier notifier = notifier();
    breakChannel();
    assertThatThrownBy(() -> notifier.deliver(sample(Notification.Kind.DECIDED, "n-broken", TITLE)))
        .isInstanceOf(RuntimeException.class)
        .satisfies(
            e ->
                secrets()
                    .forEach(
                        secret ->
                            assertThat(String.valueOf(e.getMessage())).doesNotContain(secret)));
  }

  @Test
  public void concurrentDeliveriesAreAllReceived() throws Exception {
    Notifier notifier = notifier();
    int before = received().size();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        Notification n = sample(Notification.Kind.EXPIRED, "n-concurrent-" + i, TITLE + " " + i);
        futures.add(pool.submit(() -> notifier.deliver(n)));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(received()).hasSize(before + 12);
  }

  @Test
  public void aTitleCannotStartANewLineOrHeaderInTheMessage() throws Exception {
    notifier()
        .deliver(
            sample(
                Notification.Kind.ESCALATED,
                "n-hostile",
                "Fine\r\nBcc: evil@example.com\nINFO forged"));
    List<String> all = received();
    assertThat(all.get(all.size() - 1))
        .doesNotContain("\nBcc: evil@example.com")
        .doesNotContain("\nINFO forged");
  }

  @Test
  public void aNullNotificationIsRefused() throws Exception {
    Notifier notifier = notifier();
    assertThatThrownBy(() -> notifier.deliver(null)).isInstanceOf(NullPointerException.class);
  }
}
