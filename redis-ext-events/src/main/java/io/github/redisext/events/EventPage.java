package io.github.redisext.events;

import java.util.List;

/**
 * One page of {@link EventQueue#search} results, newest first.
 *
 * @param events the events of this page
 * @param nextPageId eventy's offset paging: the {@link EventQuery.Builder#pageId} of the next
 *     page, or null when nothing matches after this page
 * @param nextCursor id-cursor paging (stable while events are published): the {@link
 *     EventQuery.Builder#beforeId} of the next page, or 0 when nothing matches after this page
 * @param <T> the payload type
 */
public record EventPage<T>(List<Event<T>> events, String nextPageId, long nextCursor) {
  /** A page; {@code events} is copied. */
  public EventPage {
    events = List.copyOf(events);
  }

  /** Whether more events match after this page. */
  public boolean hasMore() {
    return nextPageId != null;
  }
}
