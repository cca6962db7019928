package io.github.redisext.events;

import io.github.redisext.core.support.Args;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link EventQueue#search} and {@link EventQueue#count} look for: a created-at range (both
 * ends inclusive), a status, and for search the page (eventy's offset {@code pageId} or the stable
 * id cursor {@code beforeId}) and its size. Immutable.
 *
 * <pre>{@code
 * EventQuery q = EventQuery.builder().status(EventStatus.ERROR).limit(50).build();
 * EventPage<Order> page = queue.search(q);
 * while (page.hasMore()) {
 *   page = queue.search(q.toBuilder().beforeId(page.nextCursor()).build());
 * }
 * }</pre>
 */
public final class EventQuery {
  /** Default page size (eventy's). */
  public static final int DEFAULT_LIMIT = 100;
  /** Largest page size. */
  public static final int MAX_LIMIT = 10_000;

  private static final EventQuery ALL = builder().build();

  private final Instant createdFrom;
  private final Instant createdTo;
  private final EventStatus status;
  private final int limit;
  private final long offset;
  private final long beforeId;

  private EventQuery(Builder b) {
    this.createdFrom = b.createdFrom;
    this.createdTo = b.createdTo;
    this.status = b.status;
    this.limit = b.limit;
    this.offset = b.offset;
    this.beforeId = b.beforeId;
  }

  /** Every event, first page of {@link #DEFAULT_LIMIT}. */
  public static EventQuery all() {
    return ALL;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this query's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.createdFrom = createdFrom;
    b.createdTo = createdTo;
    b.status = status;
    b.limit = limit;
    b.offset = offset;
    b.beforeId = beforeId;
    return b;
  }

  /** Earliest created-at (inclusive), or null. */
  public Instant createdFrom() {
    return createdFrom;
  }

  /** Latest created-at (inclusive), or null. */
  public Instant createdTo() {
    return createdTo;
  }

  /** The status looked for, or null for any. */
  public EventStatus status() {
    return status;
  }

  /** The page size. */
  public int limit() {
    return limit;
  }

  /** Matching events skipped before the page (eventy's page id). */
  public long offset() {
    return offset;
  }

  /** Only events with a smaller id (0: no cursor). */
  public long beforeId() {
    return beforeId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventQuery q && Objects.equals(createdFrom, q.createdFrom)
        && Objects.equals(createdTo, q.createdTo) && status == q.status && limit == q.limit
        && offset == q.offset && beforeId == q.beforeId;
  }

  @Override
  public int hashCode() {
    return Objects.hash(createdFrom, createdTo, status, limit, offset, beforeId);
  }

  @Override
  public String toString() {
    return "EventQuery[createdFrom=" + createdFrom + ", createdTo=" + createdTo + ", status="
        + status + ", limit=" + limit + ", offset=" + offset + ", beforeId=" + beforeId + "]";
  }

  /** Builds an {@link EventQuery}; setters reject bad values at once. */
  public static final class Builder {
    private Instant createdFrom;
    private Instant createdTo;
    private EventStatus status;
    private int limit = DEFAULT_LIMIT;
    private long offset;
    private long beforeId;

    private Builder() {}

    /** Earliest created-at, inclusive (null: no lower bound). */
    public Builder createdFrom(Instant from) {
      this.createdFrom = from;
      return this;
    }

    /** Latest created-at, inclusive (null: no upper bound). */
    public Builder createdTo(Instant to) {
      this.createdTo = to;
      return this;
    }

    /** Only events with this status (null: any). */
    public Builder status(EventStatus s) {
      this.status = s;
      return this;
    }

    /** Page size, 1 to {@link #MAX_LIMIT}; default {@link #DEFAULT_LIMIT}. */
    public Builder limit(int n) {
      this.limit = Args.inRange(n, 1, MAX_LIMIT, "limit");
      return this;
    }

    /**
     * eventy's page id: the {@link EventPage#nextPageId()} of the previous page (an offset; null
     * or blank for the first page).
     *
     * @throws IllegalArgumentException if it is not a non-negative integer
     */
    public Builder pageId(String pageId) {
      if (pageId == null || pageId.isBlank()) {
        this.offset = 0;
        return this;
      }
      try {
        this.offset = Args.inRange(Long.parseLong(pageId.trim()), 0, Long.MAX_VALUE, "pageId");
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("pageId must be a non-negative integer, got '" + pageId
            + "'", e);
      }
      return this;
    }

    /**
     * The id cursor: only events with an id below it (the {@link EventPage#nextCursor()} of the
     * previous page; 0 for the first page). Stable while events are published.
     */
    public Builder beforeId(long id) {
      this.beforeId = Args.inRange(id, 0, Long.MAX_VALUE, "beforeId");
      return this;
    }

    /**
     * The query.
     *
     * @throws IllegalArgumentException if createdFrom is after createdTo
     */
    public EventQuery build() {
      if (createdFrom != null && createdTo != null && createdFrom.isAfter(createdTo)) {
        throw new IllegalArgumentException("createdFrom " + createdFrom + " is after createdTo "
            + createdTo);
      }
      return new EventQuery(this);
    }
  }
}
