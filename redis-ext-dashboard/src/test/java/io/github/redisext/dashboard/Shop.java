package io.github.redisext.dashboard;

import static org.awaitility.Awaitility.await;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.debounce.DebounceTask;
import io.github.redisext.events.EventQueue;
import io.github.redisext.events.EventQueueOptions;
import io.github.redisext.events.StartPosition;
import io.github.redisext.events.SubscriptionOptions;
import io.github.redisext.streams.ProcessOptions;
import io.github.redisext.streams.RedisStream;
import io.github.redisext.streams.StartFrom;
import io.github.redisext.triggers.ExpiryTriggers;
import io.github.redisext.fastset.FastSet;
import io.github.redisext.timers.RedisLock;
import io.github.redisext.timers.Router;
import io.github.redisext.timers.Timers;
import io.github.redisext.uniqueid.UniqueId;
import io.github.redisext.worker.RedisWork;
import io.github.redisext.worker.WorkQueue;
import io.github.redisext.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.UnifiedJedis;

/**
 * A small application the dashboard tests look at: a running worker on {@code emails} whose
 * handler fails for "bounce" addresses while {@link #failing} is set (one attempt, so they become
 * dead letters), a queue {@code reports} nobody consumes, a debounce scheduler, timers, a held
 * lock, a fastset, a uniqueid namespace, a stream with a running consumer, expiry triggers and an
 * event queue with a running subscription.
 */
final class Shop implements AutoCloseable {
  /** An email task. */
  record Email(String to, String subject) {}

  final AtomicBoolean failing = new AtomicBoolean(true);
  final Set<String> handled = ConcurrentHashMap.newKeySet();
  final WorkQueue<Email> emails;
  final WorkQueue<Email> reports;
  final RedisWork<Email> worker;
  private final List<AutoCloseable> open = new ArrayList<>();

  Shop(UnifiedJedis client) {
    emails = WorkQueue.create(client, "emails", Email.class);
    reports = WorkQueue.create(client, "reports", Email.class);
    worker = RedisWork.create(client, "emails", Email.class, e -> {
      if (failing.get() && e.to().contains("bounce")) {
        throw new IllegalStateException("SMTP 550 5.1.1 <" + e.to() + ">: mailbox unavailable");
      }
      handled.add(e.to());
    }, WorkerOptions.builder().maxAttempts(1).concurrency(2).build());
    worker.startInBackground();
  }

  /** Pushes {@code bounces} failing emails and waits until they are dead letters. */
  Shop deadLetters(String... bounces) {
    long before = emails.deadLetterCount();
    for (String to : bounces) {
      emails.push(new Email(to, "Your order has shipped"));
    }
    await().atMost(Duration.ofSeconds(30))
        .until(() -> emails.deadLetterCount() == before + bounces.length);
    return this;
  }

  /** Everything else: waiting reports, debounce, timers, lock, fastset, uniqueid. */
  Shop rest(UnifiedJedis client) {
    for (int i = 1; i <= 7; i++) {
      reports.push(new Email("finance@example.com", "Monthly report " + i));
    }
    DebounceTask<Object> digest = DebounceTask.create(client, "digest", Object.class);
    open.add(digest);
    for (int i = 1; i <= 4; i++) {
      digest.add(Map.of("user", "u" + i), Duration.ofMinutes(5 + i));
    }
    Timers<Void> timers = Timers.<Void>builder(client, null)
        .include(new Router<Void>().handler("reminders", Map.class, (p, c) -> { })).build();
    open.add(timers);
    timers.setTimer("reminders", "cart-17", Map.of("cart", 17), Duration.ofMinutes(30));
    timers.setTimer("reminders", "cart-18", Map.of("cart", 18), Duration.ofHours(2));
    RedisLock lock = RedisLock.create(client, "billing");
    open.add(lock);
    lock.tryLock(Duration.ZERO, Duration.ofMinutes(5));
    FastSet<String> flags = FastSet.create(client, "feature-flags", String.class);
    open.add(flags);
    flags.addAll(List.of("new-checkout", "dark-mode", "beta-search"));
    UniqueId users = UniqueId.create(client, "users");
    users.getOrCreate("alice");
    users.getOrCreate("bob");
    RedisStream<Map> orders = RedisStream.create(client, "orders", Map.class);
    open.add(orders); // closes its consumer
    orders.process(ProcessOptions.builder("billing").startFrom(StartFrom.OLDEST).build(), d -> { });
    orders.addAll(List.of(Map.of("order", "A-1"), Map.of("order", "A-2")));
    ExpiryTriggers reminders = ExpiryTriggers.create(client, "shop");
    open.add(reminders);
    reminders.set("remind", "cart-17", Duration.ofMinutes(30));
    reminders.set("remind", "cart-18", Duration.ofHours(2));
    reminders.set("expire", "session-4", Duration.ofMinutes(20));
    EventQueue<Map> placed = EventQueue.create(client, "OrderPlaced", JsonCodec.of(Map.class),
        EventQueueOptions.defaults());
    open.add(placed);
    Set<Long> mailed = ConcurrentHashMap.newKeySet();
    placed.subscribe("mailer", e -> mailed.add(e.id()),
        SubscriptionOptions.builder().start(StartPosition.OLDEST).build());
    for (int i = 1; i <= 4; i++) {
      placed.publish(Map.of("order", "A-" + i));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> mailed.size() == 4);
    return this;
  }

  @Override
  public void close() throws Exception {
    worker.close();
    for (AutoCloseable c : open) {
      c.close();
    }
  }
}
