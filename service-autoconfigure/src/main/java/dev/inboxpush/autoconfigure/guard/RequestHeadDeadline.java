package dev.inboxpush.autoconfigure.guard;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes a connection that has not sent a whole request head within the deadline: counted from the
 * connection's opening, and again from the end of each answer (a kept-alive connection's next
 * request). Reactor Netty's idle timeout starts over with every byte read, so a client trickling
 * one header byte at a time would hold a connection for as long as it liked; this bounds it. The
 * body is Reactor Netty's own read and request timeouts' business.
 *
 * <p>One instance per connection, placed right after the HTTP codec (it sees decoded {@link
 * HttpRequest}s); runs on the connection's event loop only, so it needs no locking.
 */
final class RequestHeadDeadline extends ChannelDuplexHandler {

  static final String NAME = "inboxpush.requestHeadDeadline";

  private final long deadlineMillis;
  private final Counter closed;
  private @Nullable ScheduledFuture<?> pending;

  RequestHeadDeadline(long deadlineMillis, Counter closed) {
    this.deadlineMillis = deadlineMillis;
    this.closed = closed;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      arm(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      disarm();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof LastHttpContent) {
      // The answer is out: the connection now waits for its next request head.
      promise = promise.unvoid();
      promise.addListener(
          (ChannelFutureListener)
              future -> {
                if (future.isSuccess() && future.channel().isActive()) {
                  arm(ctx);
                }
              });
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    pending =
        ctx.executor()
            .schedule(
                () -> {
                  pending = null;
                  if (ctx.channel().isActive()) {
                    closed.increment();
                    ctx.close();
                  }
                },
                deadlineMillis,
                TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }
}
