package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventsOptionsTest {
  @Test
  void queueOptionsDefaultToEventysPrefixAndTtl() {
    EventQueueOptions o = EventQueueOptions.defaults();
    assertThat(o.prefix()).isEqualTo("eventy");
    assertThat(o.eventTtl()).isEqualTo(Duration.ofSeconds(86_400));
    assertThat(o.workerId()).isNull();
    assertThat(o.toString()).contains("prefix=eventy").contains("PT24H");
    assertThat(o.toBuilder().build()).isEqualTo(o);
  }

  @Test
  void queueOptionsRejectBadValuesNamingTheOption() {
    assertThatThrownBy(() -> EventQueueOptions.builder().prefix(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
    assertThatThrownBy(() -> EventQueueOptions.builder().eventTtl(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventTtl");
    assertThatThrownBy(() -> EventQueueOptions.builder().eventTtl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventTtl");
    assertThatThrownBy(() -> EventQueueOptions.builder().eventTtl(null))
        .hasMessageContaining("eventTtl");
    assertThatThrownBy(() -> EventQueueOptions.builder().metrics(null))
        .hasMessageContaining("metrics");
  }

  @Test
  void subscriptionOptionsRepeatTheConsumerVocabularyAndRejectBadValues() {
    SubscriptionOptions o = SubscriptionOptions.builder().shared().concurrency(3).prefetch(2)
        .lease(Duration.ofSeconds(5)).maxAttempts(7)
        .retryBackoff(Duration.ofMillis(10), Duration.ofSeconds(1)).retryJitter(false)
        .shutdownGrace(Duration.ofSeconds(2)).idleWait(Duration.ofMillis(300)).batchSize(50)
        .start(StartPosition.OLDEST).presenceTimeout(Duration.ofSeconds(9)).writeStatus(false)
        .build();
    assertThat(o.mode()).isEqualTo(DeliveryMode.SHARED);
    assertThat(o.consumer().concurrency()).isEqualTo(3);
    assertThat(o.consumer().maxAttempts()).isEqualTo(7);
    assertThat(o.consumer().idleWait()).isEqualTo(Duration.ofMillis(300));
    assertThat(o.batchSize()).isEqualTo(50);
    assertThat(o.toBuilder().build()).isEqualTo(o);
    assertThat(o.toString()).contains("SHARED").contains("batchSize=50");
    SubscriptionOptions d = SubscriptionOptions.defaults();
    assertThat(d.mode()).isEqualTo(DeliveryMode.BROADCAST);
    assertThat(d.start()).isEqualTo(StartPosition.NEXT);
    assertThatThrownBy(() -> SubscriptionOptions.builder().batchSize(0))
        .hasMessageContaining("batchSize");
    assertThatThrownBy(() -> SubscriptionOptions.builder().presenceTimeout(Duration.ofMillis(1)))
        .hasMessageContaining("presenceTimeout");
    assertThatThrownBy(() -> SubscriptionOptions.builder().concurrency(0))
        .hasMessageContaining("concurrency");
    assertThatThrownBy(() -> SubscriptionOptions.builder().mode(null))
        .hasMessageContaining("mode");
  }

  @Test
  void queriesRejectBadPagesAndRanges() {
    assertThatThrownBy(() -> EventQuery.builder().pageId("x"))
        .hasMessageContaining("pageId");
    assertThatThrownBy(() -> EventQuery.builder().pageId("-1"))
        .hasMessageContaining("pageId");
    assertThatThrownBy(() -> EventQuery.builder().limit(0)).hasMessageContaining("limit");
    assertThatThrownBy(() -> EventQuery.builder().beforeId(-1)).hasMessageContaining("beforeId");
    assertThatThrownBy(() -> EventQuery.builder().createdFrom(Instant.ofEpochSecond(10))
        .createdTo(Instant.ofEpochSecond(5)).build()).hasMessageContaining("createdFrom");
    EventQuery q = EventQuery.builder().pageId("20").limit(5).build();
    assertThat(q.offset()).isEqualTo(20);
    assertThat(q.toBuilder().build()).isEqualTo(q);
    assertThat(EventQuery.all().limit()).isEqualTo(EventQuery.DEFAULT_LIMIT);
  }

  @Test
  void eventStatusParsesEventysNamesAndNothingElse() {
    assertThat(EventStatus.parse("PROCESSED")).isEqualTo(EventStatus.PROCESSED);
    assertThat(EventStatus.parse("processed")).isNull();
    assertThat(EventStatus.parse(null)).isNull();
  }
}
